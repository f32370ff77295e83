//! Who may see the web view. A server bound to a loopback address (any `127.x.y.z`, or
//! `::1`) is open to this machine; any other address requires the random token the
//! recorder prints, given as `?token=…` on every request, else 403.
//!
//! An open (loopback) server also checks the `Host` header names this machine, so a web
//! page elsewhere cannot reach it through a DNS name that resolves to 127.0.0.1 ("DNS
//! rebinding") and add markers.
//!
//! ```
//! use myobalance::publish::web::Access;
//!
//! let open = Access::open();
//! assert!(open.allows(None, Some("127.0.0.1:8750")));
//! assert!(!open.allows(None, Some("evil.example:8750")));
//! let locked = Access::with_token("abc123".into());
//! assert!(locked.allows(Some("token=abc123"), Some("lab-pc:8750")));
//! assert!(!locked.allows(Some("token=abc124"), Some("lab-pc:8750")));
//! assert!(!locked.allows(None, Some("lab-pc:8750")));
//! ```

use std::io::Read;
use std::net::SocketAddr;

/// Bytes of randomness in a token (shown as twice as many hex digits).
const TOKEN_BYTES: usize = 16;

/// The access rule of one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The token every request must carry; `None` when the server is loopback-only.
    token: Option<String>,
}

impl Access {
    /// Open to this machine only (a loopback bind).
    pub fn open() -> Access {
        Access { token: None }
    }

    /// Every request must carry `token`.
    pub fn with_token(token: String) -> Access {
        Access { token: Some(token) }
    }

    /// The rule for a server bound to `addr`: open on loopback, a fresh random token
    /// otherwise.
    pub fn for_addr(addr: &SocketAddr) -> std::io::Result<Access> {
        if addr.ip().is_loopback() {
            Ok(Access::open())
        } else {
            Ok(Access::with_token(random_token()?))
        }
    }

    /// The token requests need, if any.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// Whether a request with this query string and `Host` header may pass.
    pub fn allows(&self, query: Option<&str>, host: Option<&str>) -> bool {
        match &self.token {
            Some(token) => query_token(query).is_some_and(|t| same(t.as_bytes(), token.as_bytes())),
            None => host.is_some_and(names_this_machine),
        }
    }
}

/// The value of `token=` in a query string.
fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

/// Compares without stopping at the first difference, so the time taken does not tell an
/// attacker how much of a guess was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a `Host` header names a loopback address or `localhost`.
fn names_this_machine(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A random token from the operating system's generator, as hex.
pub fn random_token() -> std::io::Result<String> {
    let mut bytes = [0u8; TOKEN_BYTES];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_binds_are_open_and_others_need_a_token() {
        for addr in ["127.0.0.1:1", "127.0.0.2:1", "[::1]:1"] {
            assert_eq!(
                Access::for_addr(&addr.parse().unwrap()).unwrap(),
                Access::open()
            );
        }
        let a = Access::for_addr(&"0.0.0.0:1".parse().unwrap()).unwrap();
        let token = a.token().unwrap();
        assert_eq!(token.len(), 2 * TOKEN_BYTES);
        assert!(a.allows(Some(&format!("x=1&token={token}")), None));
        assert_ne!(random_token().unwrap(), random_token().unwrap());
    }

    #[test]
    fn hosts_of_this_machine() {
        for h in [
            "localhost",
            "LOCALHOST:80",
            "127.0.0.1",
            "127.9.9.9:8750",
            "[::1]:8750",
        ] {
            assert!(names_this_machine(h), "{h}");
        }
        for h in ["", "example.org", "10.0.0.1:8750", "localhost.evil:1"] {
            assert!(!names_this_machine(h), "{h}");
        }
    }
}
