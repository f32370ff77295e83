//! The live view in a browser (DESIGN.md, "Live biofeedback in the browser"): `record
//! --web [ADDR]` and `view FILE.h5 --web [ADDR]` serve one page — HTML, CSS and JavaScript
//! written here, embedded in the binary, fetching nothing from elsewhere — that shows the
//! recording as it goes, updated 20 times a second over server-sent events:
//!
//! ```text
//!  recorder ──► Queued ──► WebSink ──► Hub { Picture, Viewers } ◄── server thread (axum)
//!  (updates)    (bounded,   (thread)    (lock: update, hand out)     GET /, GET /events,
//!               drops)                        │ per viewer: bounded     POST /marker
//!                                             └──► queue ──► SSE ──► browser
//! ```
//!
//! - [`token`]: who may connect (loopback binds are open, others need the printed token);
//! - [`traces`]: min/max buckets of the last 10 s of raw samples;
//! - [`state`]: the picture kept from the updates and its JSON messages;
//! - [`viewers`]: at most 16 streams, each behind a bounded queue;
//! - [`sink`]: the recorder sink that feeds them;
//! - [`server`]: the routes.
//!
//! The numbers are the terminal live view's ([`crate::live_view::snapshot`]); the page only
//! scales and draws them. Nothing here computes a feature.

mod error;
pub mod server;
pub mod sink;
pub mod state;
pub mod token;
pub mod traces;
pub mod viewers;

use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use error::WebError;
pub use sink::WebSink;
pub use token::Access;

use crate::recorder::Control;

use server::App;
use sink::{lock, Hub, SharedHub};
use state::Picture;

/// The address `--web` listens on when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8750";

/// The page, its style and script put together once (they are separate files here so
/// each reads as what it is).
fn page() -> String {
    include_str!("page/index.html")
        .replace("/*STYLE*/", include_str!("page/style.css"))
        .replace("/*SCRIPT*/", include_str!("page/app.js"))
}

/// A running web view.
pub struct WebView {
    addr: SocketAddr,
    access: Arc<Access>,
    hub: SharedHub,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<std::io::Result<()>>>,
}

impl WebView {
    /// Listens on `addr` (port 0: any free port) with the given access rule; markers go to
    /// `control` (none when replaying a file). Returns the view and the sink that feeds it.
    pub fn start(
        addr: SocketAddr,
        access: Access,
        control: Option<Arc<Control>>,
    ) -> Result<(WebView, WebSink), WebError> {
        let listener = std::net::TcpListener::bind(addr).map_err(|error| WebError::Bind {
            addr: addr.to_string(),
            error,
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|error| WebError::Bind {
                addr: addr.to_string(),
                error,
            })?;
        let bound = server::bound(&listener, addr);
        let picture = if control.is_some() {
            Picture::default()
        } else {
            Picture::replaying()
        };
        let hub: SharedHub = Arc::new(std::sync::Mutex::new(Hub {
            picture,
            viewers: Default::default(),
        }));
        let access = Arc::new(access);
        let app = App {
            hub: Arc::clone(&hub),
            access: Arc::clone(&access),
            control,
            page: Arc::from(page()),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("web-view".into())
            .spawn(move || server::serve(listener, app, stopped))
            .map_err(WebError::Thread)?;
        Ok((
            WebView {
                addr: bound,
                access,
                hub: Arc::clone(&hub),
                stop: Some(stop),
                thread: Some(thread),
            },
            WebSink::new(hub),
        ))
    }

    /// Starts with the rule for `addr`: open on loopback, a fresh token otherwise.
    pub fn start_for(
        addr: SocketAddr,
        control: Option<Arc<Control>>,
    ) -> Result<(WebView, WebSink), WebError> {
        let access = Access::for_addr(&addr).map_err(|error| WebError::Token {
            addr: addr.to_string(),
            error,
        })?;
        WebView::start(addr, access, control)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The link to open: with `?token=…` when the server needs it.
    pub fn url(&self) -> String {
        match self.access.token() {
            Some(t) => format!("http://{}/?token={t}", self.addr),
            None => format!("http://{}/", self.addr),
        }
    }

    /// Update messages dropped for slow viewers so far, and viewers refused.
    pub fn counts(&self) -> (u64, u64) {
        let hub = lock(&self.hub);
        (hub.viewers.dropped(), hub.viewers.refused())
    }

    /// Messages dropped per open viewer, in the order they joined.
    pub fn dropped_each(&self) -> Vec<u64> {
        lock(&self.hub).viewers.dropped_each()
    }

    /// Ends every stream and stops the server (waiting at most a few seconds).
    pub fn stop(mut self) {
        self.shut();
    }

    fn shut(&mut self) {
        lock(&self.hub).viewers.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for WebView {
    fn drop(&mut self) {
        self.shut();
    }
}
