//! Subresource integrity for the vendored ECharts, which the console loads on first use: its
//! SHA-384, so that the browser runs exactly the file that was vendored. index.html preloads
//! it on chart pages with the same integrity, checked here.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha384};

const ECHARTS: &str = "vendor/echarts/echarts.min.js";
const PAGE: &str = "index.html";

fn main() {
    println!("cargo:rerun-if-changed={ECHARTS}");
    println!("cargo:rerun-if-changed={PAGE}");
    let script = std::fs::read(ECHARTS).unwrap_or_else(|e| panic!("cannot read {ECHARTS}: {e}"));
    let integrity = format!("sha384-{}", STANDARD.encode(Sha384::digest(&script)));
    let page = std::fs::read_to_string(PAGE).unwrap_or_else(|e| panic!("cannot read {PAGE}: {e}"));
    // A stale preload would fetch a file that the console's script then refuses and fetches again.
    assert!(
        page.contains(&format!("integrity = \"{integrity}\"")),
        "{PAGE} preloads ECharts with another integrity than {ECHARTS}'s: set it to {integrity}"
    );
    println!("cargo:rustc-env=ECHARTS_INTEGRITY={integrity}");
}
