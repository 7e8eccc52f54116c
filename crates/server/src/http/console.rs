//! Serves the built console (Trunk's `dist/`) under a base path, with the single-page-app
//! fallback: any path that is not a file gets `index.html`, so deep links survive a reload.

use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, VARY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::{ApiError, AppState};

/// The console's files and where they are mounted.
#[derive(Debug, Clone)]
pub struct Console {
    dir: PathBuf,
    /// Starts and ends with `/`.
    base_path: String,
}

impl Console {
    pub fn new(dir: &Path, base_path: &str) -> Result<Self, String> {
        if !dir.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html: build the console first (`cargo xtask demo` does), or drop --console-dir",
                dir.display()
            ));
        }
        let trimmed = base_path.trim_matches('/');
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/');
        let dots = trimmed.split('/').any(|segment| segment == ".." || segment == ".");
        if dots || !trimmed.chars().all(plain) {
            return Err(format!(
                "--console-path {base_path} may use letters, digits, '-', '.', '_', '~' and '/', \
                 without . or .. segments"
            ));
        }
        let base_path = if trimmed.is_empty() { "/".to_owned() } else { format!("/{trimmed}/") };
        Ok(Self { dir: dir.to_owned(), base_path })
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// index.html with its `<base>` set to where the console really is, so that the browser
    /// fetches the right assets from any deep link, even before the page's script runs.
    /// Read on every request: a rebuilt console is served without a restart.
    async fn index_page(&self) -> Response {
        match tokio::fs::read_to_string(self.dir.join("index.html")).await {
            Ok(html) => {
                let html = with_base(&html, &self.base_path);
                let policy = content_security_policy(&html);
                let mut response = ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
                if let Ok(value) = HeaderValue::from_str(&policy) {
                    response.headers_mut().insert(CONTENT_SECURITY_POLICY, value);
                }
                response
            }
            Err(error) => ApiError::Internal(format!("cannot read the console's index.html: {error}")).into_response(),
        }
    }
}

/// What the console's page may do: run its own scripts only (the inline ones by their hash),
/// call any backend (environments live anywhere), and never be framed by another site.
fn content_security_policy(html: &str) -> String {
    let scripts: String =
        inline_scripts(html).map(|script| format!(" 'sha256-{}'", STANDARD.encode(Sha256::digest(script)))).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self' http: https:; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of every `<script>` without a `src`, as the browser hashes it.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, after) = rest.split_once('>')?;
        let (text, _) = after.split_once("</script>")?;
        (!tag.contains("src=")).then_some(text)
    })
}

/// Replaces the page's `<base>` element with a fixed one for `base_path`.
fn with_base(html: &str, base_path: &str) -> String {
    let fixed = format!("<base href=\"{base_path}\" data-fixed />");
    let tag = html.find("<base").and_then(|start| html[start..].find('>').map(|len| start..start + len + 1));
    match tag {
        Some(range) => format!("{}{fixed}{}", &html[..range.start], &html[range.end..]),
        None => html.replacen("<head>", &format!("<head>{fixed}"), 1),
    }
}

/// Every GET the API does not claim.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let Some(console) = state.console.clone() else {
        return not_found(request.uri());
    };
    let path = request.uri().path().to_owned();
    if path == "/" && console.base_path != "/" {
        return redirect(request.uri(), &console.base_path);
    }
    // `/ota` must become `/ota/`, or the page's relative asset URLs would miss the base.
    if format!("{path}/") == console.base_path {
        return redirect(request.uri(), &console.base_path);
    }
    let Some(inner) = path.strip_prefix(console.base_path.as_str()).map(|rest| format!("/{rest}")) else {
        return not_found(request.uri());
    };
    let last_segment = inner.rsplit('/').next().unwrap_or_default();
    let is_file = last_segment.contains('.');
    let inner_uri = match inner.parse::<Uri>() {
        Ok(uri) => uri,
        Err(_) => return not_found(request.uri()),
    };
    let (mut parts, body) = request.into_parts();
    parts.uri = inner_uri;
    let request = Request::from_parts(parts, body);
    let mut response = if is_file {
        // The build's .br and .gz siblings (cargo xtask precompress) where the browser takes them.
        let files = ServeDir::new(&console.dir).precompressed_br().precompressed_gzip();
        match files.oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(infallible) => match infallible {},
        }
    } else {
        // A route of the app, not a file: the app itself answers it.
        console.index_page().await
    };
    if let Some(value) = cache_policy(is_file, last_segment, response.status()) {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    if is_file {
        // A cache in between must keep the compressed and the plain answer apart.
        response.headers_mut().insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    // No other site may frame the console (clickjacking) or make the browser guess types.
    let headers = response.headers_mut();
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Trunk names built assets `name-<hash>.ext`, the hash a u64 in hex without leading zeros
/// (so 16 digits, or fewer one time in sixteen): those never change and may be cached for good. Everything else (index.html, config.json) is revalidated on every load so that a
/// new release or a changed configuration is picked up at once.
fn cache_policy(is_file: bool, name: &str, status: StatusCode) -> Option<&'static str> {
    if !status.is_success() {
        return None;
    }
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem
        .rsplit_once('-')
        .is_some_and(|(_, hash)| (12..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit()));
    Some(if is_file && hashed { "public, max-age=31536000, immutable" } else { "no-cache" })
}

/// Sends the browser to `base_path`, keeping the query string.
fn redirect(uri: &Uri, base_path: &str) -> Response {
    let target = match uri.query() {
        Some(query) => format!("{base_path}?{query}"),
        None => base_path.to_owned(),
    };
    let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(&target) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn not_found(uri: &Uri) -> Response {
    ApiError::not_found("NotFound", format!("Nothing is served at {}.", uri.path())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_element_is_fixed_to_the_mount_point() {
        let page = "<html><head><base href=\"/\" /><script></script></head></html>";
        assert_eq!(
            with_base(page, "/fleet/ota/"),
            "<html><head><base href=\"/fleet/ota/\" data-fixed /><script></script></head></html>"
        );
        assert_eq!(with_base("<head><title>x</title>", "/"), "<head><base href=\"/\" data-fixed /><title>x</title>");
    }

    #[test]
    fn the_page_may_run_its_own_inline_scripts_only_and_is_never_framed() {
        let page = "<head><script>let a = 1;</script><script type=\"module\">import x from './x.js';</script>\
                    <script src=\"./y.js\"></script></head>";
        let inline: Vec<&str> = inline_scripts(page).collect();
        assert_eq!(inline, ["let a = 1;", "import x from './x.js';"]);
        let policy = content_security_policy(page);
        let hash = STANDARD.encode(Sha256::digest("let a = 1;"));
        assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("base-uri 'self'"), "{policy}");
        assert!(!policy.contains("unsafe-eval'") || policy.contains("wasm-unsafe-eval"), "{policy}");
    }

    #[test]
    fn hashed_assets_are_immutable_and_the_rest_revalidates() {
        let ok = StatusCode::OK;
        assert_eq!(
            cache_policy(true, "ota-console-1a2b3c4d5e6f7a8b_bg.wasm", ok),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(cache_policy(true, "main-0123456789abcdef.css", ok), Some("public, max-age=31536000, immutable"));
        let leading_zero_dropped = "ota-console-15f22c445a14c81_bg.wasm";
        assert_eq!(cache_policy(true, leading_zero_dropped, ok), Some("public, max-age=31536000, immutable"));
        assert_eq!(cache_policy(true, "logo-dark.svg", ok), Some("no-cache"), "a word is not a hash");
        assert_eq!(cache_policy(true, "config.json", ok), Some("no-cache"));
        assert_eq!(cache_policy(false, "packages", ok), Some("no-cache"));
        assert_eq!(cache_policy(true, "missing.js", StatusCode::NOT_FOUND), None);
    }
}
