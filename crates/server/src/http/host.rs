//! The `Host` header must name this server: defeats DNS rebinding, where a web page's own
//! domain is made to resolve to the server's address so the browser treats it as same-origin.
//! Rebinding needs a domain name, so an IP address is always fine; names are `localhost`, the
//! public URL's host and those given with `--allowed-host`.

use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ota_model::codes::auth as codes;

use super::{ApiError, AppState};

/// Host names (without port) a request may name besides IP addresses, lower-case.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    /// `localhost`, the host of `public_url` if any, and `extra`.
    pub fn new(public_url: Option<&str>, extra: &[String]) -> Self {
        let mut names = vec!["localhost".to_owned()];
        if let Some(host) =
            public_url.and_then(|url| url::Url::parse(url).ok()).and_then(|u| u.host_str().map(str::to_owned))
        {
            names.push(host);
        }
        names.extend(extra.iter().map(|name| name.trim().trim_end_matches('.').to_owned()));
        names.iter_mut().for_each(|name| name.make_ascii_lowercase());
        Self { names }
    }

    /// Whether a `Host` header value (`name[:port]`, `[v6]:port`) is served here.
    pub fn allows(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else { return false };
        let name = authority.host().trim_start_matches('[').trim_end_matches(']');
        if name.parse::<std::net::IpAddr>().is_ok() {
            return true;
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.names.contains(&name)
    }
}

/// Refuses a request whose `Host` (or HTTP/2 authority) is not served here. `/healthz` answers
/// any (probes use whatever address they reach); a request naming no host at all (HTTP/1.0)
/// cannot come from a browser, which always names one.
pub async fn check(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    // HTTP/2 names the host in its authority only; what follows (URLs the server hands out,
    // signatures over `host`) reads the header, as over HTTP/1.1.
    if !request.headers().contains_key(HOST)
        && let Some(authority) = request.uri().authority().and_then(|a| HeaderValue::from_str(a.as_str()).ok())
    {
        request.headers_mut().insert(HOST, authority);
    }
    let named = request.headers().get(HOST).map(|value| value.to_str().unwrap_or("?").to_owned());
    let host = match named {
        Some(host) if request.uri().path() != "/healthz" && !state.settings.allowed_hosts.allows(&host) => host,
        _ => return next.run(request).await,
    };
    tracing::info!(host, "refused a request for a host this server does not serve");
    let host = host.as_str();
    ApiError::Denied {
        status: StatusCode::MISDIRECTED_REQUEST,
        code: codes::HOST_NOT_ALLOWED.to_owned(),
        message: format!(
            "This server does not serve the host \"{host}\"; start it with --public-url or --allowed-host to add a name."
        ),
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_known_names_are_served_and_other_names_are_not() {
        let allowed = AllowedHosts::new(Some("https://OTA.example.com:8443/console"), &["ota.lan".into()]);
        for served in
            ["127.0.0.1:8080", "10.0.0.5", "[::1]:8080", "localhost:8080", "ota.example.com", "OTA.LAN:80", "ota.lan."]
        {
            assert!(allowed.allows(served), "{served}");
        }
        for foreign in ["evil.example:8080", "ota.example.com.evil.example", "", "a b"] {
            assert!(!allowed.allows(foreign), "{foreign}");
        }
    }
}
