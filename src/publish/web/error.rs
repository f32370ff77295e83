//! What can go wrong starting the web view, with messages that name the address.

/// Why the web view could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The address could not be bound (in use, not this machine's, no permission).
    #[error("--web {addr}: cannot listen there ({error}); choose another address or port")]
    Bind { addr: String, error: std::io::Error },
    /// No random token could be made for a non-loopback address.
    #[error("--web {addr}: cannot make an access token ({error})")]
    Token { addr: String, error: std::io::Error },
    /// The server's thread or runtime could not start.
    #[error("starting the web view's server thread: {0}")]
    Thread(std::io::Error),
}
