//! `cargo xtask precompress [DIR]`: `.br` and `.gz` siblings for the console's scripts, wasm
//! and styles, so that ota-server or a CDN sends them compressed at the best ratio without
//! compressing on every request. Trunk runs it after each release build (Trunk.toml's hook).
//!
//! `index.html` and `config.json` get none: they are revalidated on every load, and
//! config.json is edited in place where the console is deployed, which a stale sibling would hide.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::project::Failure;

/// What is compressed: everything the browser fetches that a build produces.
const COMPRESSED: [&str; 3] = [".wasm", ".js", ".css"];

/// Brotli's best quality and largest window, as the static-asset tools use.
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 24;

/// Trunk's staging directory in its hook (release builds only), or the given directory.
pub fn run(dir: Option<PathBuf>) -> Result<(), Failure> {
    let dir = match dir {
        Some(dir) => dir,
        None => match (std::env::var_os("TRUNK_STAGING_DIR"), std::env::var("TRUNK_PROFILE")) {
            // A debug build is for the developer's own browser: not worth the seconds.
            (Some(_), Ok(profile)) if profile != "release" => return Ok(()),
            (Some(staging), _) => PathBuf::from(staging),
            (None, _) => {
                return Err(Failure::new(
                    "which directory? none given and not run by Trunk",
                    "cargo xtask precompress dist",
                ));
            }
        },
    };
    for file in compressible(&dir)? {
        compress(&file)?;
    }
    Ok(())
}

/// Every file under `dir` with an extension in [`COMPRESSED`], in a stable order.
fn compressible(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| unreadable(&dir, e))?;
        for entry in entries {
            let path = entry.map_err(|e| unreadable(&dir, e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.to_str().is_some_and(|name| COMPRESSED.iter().any(|ext| name.ends_with(ext))) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes `file.br` and `file.gz` beside `file`.
fn compress(file: &Path) -> Result<(), Failure> {
    let bytes = std::fs::read(file).map_err(|e| unreadable(file, e))?;
    let failed = |e: std::io::Error| Failure::new(format!("cannot compress {}: {e}", file.display()), "report it");
    write(&sibling(file, "br"), &brotli_bytes(&bytes).map_err(failed)?)?;
    write(&sibling(file, "gz"), &gzip_bytes(&bytes).map_err(failed)?)
}

pub fn brotli_bytes(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut writer = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, BROTLI_QUALITY, BROTLI_WINDOW);
    writer.write_all(bytes)?;
    // Finishes the stream; writing into a Vec cannot fail there.
    Ok(writer.into_inner())
}

pub fn gzip_bytes(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn sibling(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| {
        Failure::new(format!("cannot write {}: {e}", path.display()), "check the disk and its permissions")
    })
}

fn unreadable(path: &Path, error: std::io::Error) -> Failure {
    Failure::new(format!("cannot read {}: {error}", path.display()), "build the console first: trunk build --release")
}
