//! The HTTP server of the web view: axum on a tokio runtime of one thread, started on a
//! thread of its own, so the recorder stays synchronous. It serves three things and
//! nothing else (any other path is 404):
//!
//! - `GET /` — the page (HTML with its style and script inline, embedded in the binary);
//! - `GET /events` — the update stream, server-sent events whose `data:` is one JSON
//!   message each (see [`super::state`]); the first is the whole current picture; at most
//!   [`MAX_VIEWERS`] at once, one more gets 503;
//! - `POST /marker` — adds a `marker` event to the recording, as SIGUSR1 and the live
//!   view's `m` key do (204; 409 when replaying a file).
//!
//! Every request passes the [`Access`] rule first (403 otherwise).

use std::convert::Infallible;
use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::sink::{lock, SharedHub};
use super::token::Access;
use super::viewers::MAX_VIEWERS;
use crate::recorder::Control;

/// What the handlers share.
#[derive(Clone)]
pub(super) struct App {
    pub hub: SharedHub,
    pub access: Arc<Access>,
    /// Where markers go; `None` when replaying a file.
    pub control: Option<Arc<Control>>,
    pub page: Arc<str>,
}

/// The router of the web view.
pub(super) fn router(app: App) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/events", get(events))
        .route("/marker", post(marker))
        .layer(middleware::from_fn_with_state(app.clone(), check_access))
        .with_state(app)
}

/// 403 unless the request passes the access rule; headers that keep the page to itself.
async fn check_access(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !app.access.allows(request.uri().query(), host) {
        return (
            StatusCode::FORBIDDEN,
            "403: this view needs the link the recorder printed (with its ?token=…)\n",
        )
            .into_response();
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
             connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    response
}

async fn page(State(app): State<App>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        app.page.to_string(),
    )
        .into_response()
}

/// Leaves the viewer list when the stream is dropped (the browser went away).
struct Leave {
    hub: SharedHub,
    id: u64,
}

impl Drop for Leave {
    fn drop(&mut self) {
        lock(&self.hub).viewers.leave(self.id);
    }
}

async fn events(State(app): State<App>) -> Response {
    let joined = {
        let mut hub = lock(&app.hub);
        let first: Arc<str> = Arc::from(hub.picture.full());
        hub.viewers.join(first)
    };
    let Some((id, rx)) = joined else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("503: {MAX_VIEWERS} viewers are watching already; close one and reload\n"),
        )
            .into_response();
    };
    let leave = Leave {
        hub: Arc::clone(&app.hub),
        id,
    };
    let stream = futures_util::stream::unfold((rx, leave), |(mut rx, leave)| async move {
        let message = rx.recv().await?;
        let event = Event::default().data(&*message);
        Some((Ok::<_, Infallible>(event), (rx, leave)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

async fn marker(State(app): State<App>) -> Response {
    match &app.control {
        Some(control) => {
            control.request_marker();
            StatusCode::NO_CONTENT.into_response()
        }
        None => (
            StatusCode::CONFLICT,
            "409: a replayed file takes no markers\n",
        )
            .into_response(),
    }
}

/// Serves `app` on `listener` until `stop` resolves.
pub(super) fn serve(
    listener: std::net::TcpListener,
    app: App,
    stop: tokio::sync::oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (grace_tx, grace_rx) = tokio::sync::oneshot::channel::<()>();
        let served = axum::serve(listener, router(app)).with_graceful_shutdown(async move {
            let _ = stop.await;
            let _ = grace_tx.send(());
        });
        // Connections still open a moment after the stop (a stalled browser) are cut.
        let grace = async move {
            let _ = grace_rx.await;
            tokio::time::sleep(Duration::from_secs(2)).await;
        };
        let served = std::pin::pin!(served.into_future());
        match futures_util::future::select(served, std::pin::pin!(grace)).await {
            futures_util::future::Either::Left((result, _)) => result,
            futures_util::future::Either::Right(_) => Ok(()),
        }
    })
}

/// The address a listener is bound to, for the URL.
pub(super) fn bound(listener: &std::net::TcpListener, asked: SocketAddr) -> SocketAddr {
    listener.local_addr().unwrap_or(asked)
}
