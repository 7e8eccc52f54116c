//! Subresource integrity for the vendored ECharts, which the console loads on first use: its
//! SHA-384, so that the browser runs exactly the file that was vendored.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha384};

const ECHARTS: &str = "vendor/echarts/echarts.min.js";

fn main() {
    println!("cargo:rerun-if-changed={ECHARTS}");
    let script = std::fs::read(ECHARTS).unwrap_or_else(|e| panic!("cannot read {ECHARTS}: {e}"));
    println!("cargo:rustc-env=ECHARTS_INTEGRITY=sha384-{}", STANDARD.encode(Sha384::digest(&script)));
}
