//! Accepting HTTP connections, plain or TLS, within bounds a slow or greedy client cannot
//! stretch: a cap on open connections, a deadline for the TLS handshake and for each request's
//! head, and a graceful stop that lets answers in progress finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::metrics::{Metrics, Refusal};

/// How many connections and how long for each step; see `ServeArgs` for the defaults.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at once; more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// For the TLS handshake and then for each request's head (line and headers).
    pub header_timeout: Duration,
}

/// Whether a request came over TLS: the origin handed out in URLs says https then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secure(pub bool);

/// How long answers in progress get to finish once the server stops.
const DRAIN_FOR: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `stop` completes, then drains open connections.
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    limits: ConnectionLimits,
    metrics: Arc<Metrics>,
    stop: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    builder.http2().timer(TokioTimer::new()).keep_alive_interval(Duration::from_secs(30));
    let builder = Arc::new(builder);
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait instead of spinning.
                Err(error) => {
                    tracing::warn!("HTTP: cannot accept a connection: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            metrics.refused(Refusal::HttpConnections);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (builder, app, tls, watcher, metrics) =
            (builder.clone(), app.clone(), tls.clone(), graceful.watcher(), metrics.clone());
        tokio::spawn(async move {
            let _slot = slot;
            match tls {
                None => connection(stream, peer, Secure(false), &builder, app, watcher, &metrics).await,
                Some(acceptor) => match tokio::time::timeout(limits.header_timeout, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => connection(stream, peer, Secure(true), &builder, app, watcher, &metrics).await,
                    Ok(Err(error)) => tracing::debug!(%peer, "HTTP: TLS handshake failed: {error}"),
                    Err(_) => metrics.refused(Refusal::HandshakeTimeout),
                },
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_FOR, graceful.shutdown()).await.is_err() {
        tracing::warn!("HTTP: connections still open after {DRAIN_FOR:?} were closed");
    }
}

async fn connection<S>(
    stream: S,
    peer: SocketAddr,
    secure: Secure,
    builder: &auto::Builder<TokioExecutor>,
    app: Router,
    watcher: hyper_util::server::graceful::Watcher,
    metrics: &Metrics,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = app.map_request(move |request: Request<Incoming>| {
        let mut request = request.map(axum::body::Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        request.extensions_mut().insert(secure);
        request
    });
    let service = hyper_util::service::TowerToHyperService::new(service);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    if let Err(error) = watcher.watch(connection).await {
        // hyper's only timeout on a connection is the one for a request's head.
        if error.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_timeout) {
            metrics.refused(Refusal::HeadTimeout);
        }
        tracing::debug!(%peer, "HTTP: connection ended: {error}");
    }
}

/// The TLS acceptor for HTTPS: HTTP/2 preferred, HTTP/1.1 too.
pub fn acceptor(certificates: &Arc<crate::tls::Certificates>) -> TlsAcceptor {
    TlsAcceptor::from(certificates.server_config(&[b"h2", b"http/1.1"]))
}
