//! `cargo xtask post-build`: Trunk's post_build hook. Splits the console's wasm so that a group
//! of pages' code is fetched when one of them is first opened (Leptos's lazy functions,
//! `lazy_pages!` in src/app.rs), then precompresses the release output (precompress.rs).
//!
//! Trunk 0.21 runs wasm-bindgen right after cargo with no step between, so this redoes what
//! follows cargo on the raw module: wasm-split, wasm-bindgen with `--keep-lld-exports` (the
//! chunks import the main module's memory, table and shared functions), wasm-opt on every module
//! in release builds, then names the results by a hash of their bytes and puts the names and
//! their integrity into the staged index.html. Every build Trunk makes goes through here, debug
//! too: an unsplit module imports a placeholder module no browser can load.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::project::{Failure, Project};

mod loader;

use loader::{APP_STARTED, Chunk, patch_loader, preload_script};

/// The import module the lazy functions call before the split links them to their chunks.
const PLACEHOLDER: &[u8] = b"__wasm_split_placeholder__";

/// The console's crate, as Trunk names its outputs.
const CRATE: &str = "ota-console";

pub fn run(project: &Project) -> Result<(), Failure> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from).ok_or_else(|| {
        Failure::new("TRUNK_STAGING_DIR is not set: Trunk runs this after a build", "trunk build --release")
    })?;
    let release = std::env::var("TRUNK_PROFILE").is_ok_and(|profile| profile == "release");
    let cargo_profile = if release { "wasm-release" } else { "debug" };
    let raw = project.target_dir.join(format!("wasm32-unknown-unknown/{cargo_profile}/{CRATE}.wasm"));
    let input = std::fs::read(&raw).map_err(|e| unreadable(&raw, e))?;
    if contains(&input, PLACEHOLDER) {
        split(project, &staging, &input, release)?;
    }
    if release { crate::precompress::run(Some(staging)) } else { Ok(()) }
}

/// Replaces Trunk's unsplit script and wasm in `staging` with the split ones and their chunks.
fn split(project: &Project, staging: &Path, input: &[u8], release: bool) -> Result<(), Failure> {
    let trunk = trunk_hash(staging)?;
    let work = project.target_dir.join(format!("wasm-split/{}", if release { "release" } else { "debug" }));
    let cut = cut(project, &work, input, &trunk)?;
    if release {
        let modules: Vec<PathBuf> = std::iter::once(cut.main_wasm.clone()).chain(cut.chunks.iter().cloned()).collect();
        optimise(project, &modules)?;
    }

    // Every file is named by one hash of everything served, the loader as patched included, so
    // that it may be cached for good: Trunk's hash is of cargo's module alone, and would stay
    // when only this build step changes.
    let main_wasm = std::fs::read(&cut.main_wasm).map_err(|e| unreadable(&cut.main_wasm, e))?;
    let main_js = read_text(&cut.main_js)?;
    let mut chunks = Vec::new();
    let mut chunk_bytes = Vec::new();
    for path in &cut.chunks {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        chunks.push(Chunk { file: format!("{stem}-{trunk}.wasm"), stem, integrity: integrity(&bytes) });
        chunk_bytes.push(bytes);
    }
    let loader = patch_loader(&read_text(&cut.loader)?, &chunks)?;
    let contents = [&main_wasm[..], main_js.as_bytes(), loader.as_bytes()].into_iter();
    let hash = build_hash(contents.chain(chunk_bytes.iter().map(Vec::as_slice)), trunk.len());

    let loader = loader.replace(&trunk, &hash);
    for (chunk, bytes) in chunks.iter_mut().zip(&chunk_bytes) {
        chunk.file = chunk.file.replace(&trunk, &hash);
        write(&staging.join(&chunk.file), bytes)?;
    }
    let loader_name = format!("{CRATE}-split-{hash}.js");
    write(&staging.join(&loader_name), loader.as_bytes())?;
    // Names in the main module are strings of their own length: the same length keeps it valid.
    write(&staging.join(format!("{CRATE}-{hash}_bg.wasm")), &replace_bytes(&main_wasm, &trunk, &hash))?;
    write(&staging.join(format!("{CRATE}-{hash}.js")), main_js.replace(&trunk, &hash).as_bytes())?;
    for trunks in [format!("{CRATE}-{trunk}_bg.wasm"), format!("{CRATE}-{trunk}.js")] {
        std::fs::remove_file(staging.join(&trunks)).map_err(|e| unreadable(&staging.join(&trunks), e))?;
    }

    let pages = page_files(&cut.prefetch, &hash);
    write(&work.join("pages.json"), &serde_json::to_vec_pretty(&pages).unwrap_or_default())?;
    let head = format!(
        "{}<link rel=\"modulepreload\" href=\"./{loader_name}\" crossorigin=\"anonymous\" integrity=\"{}\">\n",
        preload_script(&pages, &chunks)?,
        integrity(loader.as_bytes())
    );
    rewrite_index(staging, &trunk, &hash, &head)
}

/// What wasm-split and wasm-bindgen made of cargo's module, under Trunk's hash.
struct Cut {
    main_wasm: PathBuf,
    main_js: PathBuf,
    /// The chunk loader, which the main module imports.
    loader: PathBuf,
    chunks: Vec<PathBuf>,
    /// Each lazy function's split and the chunks it needs.
    prefetch: HashMap<String, Vec<String>>,
}

/// Splits cargo's module in `work` and runs wasm-bindgen on the main part.
fn cut(project: &Project, work: &Path, input: &[u8], trunk: &str) -> Result<Cut, Failure> {
    let _ = std::fs::remove_dir_all(work);
    let chunks = work.join("chunks");
    let main = work.join("main.wasm");
    let name = format!("{CRATE}-{trunk}");
    let main_module = format!("./{name}.js");
    let loader_name = format!("{CRATE}-split-{trunk}.js");
    let link_name = format!("./{loader_name}");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(input);
        options.output_dir = &chunks;
        options.main_out_path = &main;
        options.main_module = &main_module;
        options.link_name = &link_name;
        options
    })
    .map_err(|e| Failure::new(format!("wasm-split failed: {e:#}"), "trunk build --release"))?;

    let bindgen = work.join("bindgen");
    project.run(project.command("wasm-bindgen").args([
        "--target=web",
        "--keep-lld-exports",
        "--no-demangle",
        "--no-typescript",
        &format!("--out-name={name}"),
        &format!("--out-dir={}", bindgen.display()),
        &main.display().to_string(),
    ]))?;
    let mut modules = split.split_modules;
    modules.sort();
    Ok(Cut {
        main_wasm: bindgen.join(format!("{name}_bg.wasm")),
        main_js: bindgen.join(format!("{name}.js")),
        loader: chunks.join(loader_name),
        chunks: modules,
        prefetch: split.prefetch_map,
    })
}

/// `len` hex digits of a hash of every output, in order.
fn build_hash<'a>(contents: impl Iterator<Item = &'a [u8]>, len: usize) -> String {
    let mut hasher = Sha384::new();
    for content in contents {
        hasher.update((content.len() as u64).to_le_bytes());
        hasher.update(content);
    }
    let hex: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    hex[..len.min(hex.len())].to_owned()
}

/// `bytes` with every `from` made `to`, which is as long.
fn replace_bytes(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    debug_assert_eq!(from.len(), to.len());
    let (from, to) = (from.as_bytes(), to.as_bytes());
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = &rest[from.len()..];
        } else {
            out.push(rest[0]);
            rest = &rest[1..];
        }
    }
    out
}

/// Where `cargo xtask bench console` learns which files each page fetches when opened first.
pub fn pages_manifest(project: &Project) -> PathBuf {
    project.target_dir.join("wasm-split/release/pages.json")
}

/// `{"package_list": ["chunk_13-<hash>.wasm", …], …}`: each group of lazy pages and the files
/// it needs.
fn page_files(prefetch: &HashMap<String, Vec<String>>, hash: &str) -> BTreeMap<String, Vec<String>> {
    prefetch
        .iter()
        .map(|(split, stems)| (page_name(split), stems.iter().map(|stem| format!("{stem}-{hash}.wasm")).collect()))
        .collect()
}

/// `package_pages_5585…` (a `#[lazy]` function and the hash of where it is, src/app.rs) →
/// `package_pages`.
fn page_name(split: &str) -> String {
    let name = split.trim_start_matches('_');
    match name.rsplit_once('_') {
        Some((group, hash)) if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()) => group.to_owned(),
        _ => name.to_owned(),
    }
}

/// The hash Trunk gave this build's script, `ota-console-<hash>.js`.
fn trunk_hash(staging: &Path) -> Result<String, Failure> {
    let entries = std::fs::read_dir(staging).map_err(|e| unreadable(staging, e))?;
    let prefix = format!("{CRATE}-");
    let mut found = entries.filter_map(|entry| {
        let name = entry.ok()?.file_name().into_string().ok()?;
        Some(name.strip_prefix(&prefix)?.strip_suffix(".js")?.to_owned())
    });
    match (found.next(), found.next()) {
        (Some(hash), None) if hash.chars().all(|c| c.is_ascii_hexdigit()) => Ok(hash),
        _ => Err(Failure::new(
            format!("expected one {prefix}<hash>.js in {}: Trunk's naming has changed", staging.display()),
            "check Trunk's version (Trunk.toml)",
        )),
    }
}

/// `wasm-opt -Oz` on every module (as Trunk would on one), as many at once as there are cores.
fn optimise(project: &Project, modules: &[PathBuf]) -> Result<(), Failure> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(module) = modules.get(i) else { return Ok(()) };
                        let output = format!("--output={}", module.display());
                        let mut command = project.command("wasm-opt");
                        command.args(["-Oz", &output, &module.display().to_string()]);
                        command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
                        project.run(&mut command)?;
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle.join().unwrap_or_else(|_| Err(Failure::new("wasm-opt worker panicked", "report it")))
        })
    })
}

/// Points index.html at the split script and wasm, under the build's hash and with their
/// integrity, and puts `head` before its start script.
fn rewrite_index(staging: &Path, trunk: &str, hash: &str, head: &str) -> Result<(), Failure> {
    let index_path = staging.join("index.html");
    let trunks = format!("{CRATE}-{trunk}");
    let name = format!("{CRATE}-{hash}");
    let mut index = read_text(&index_path)?.replace(&trunks, &name);
    if index.contains(trunk) {
        return Err(Failure::new(
            format!("the staged index.html names {trunk} other than as {trunks}: Trunk's naming has changed"),
            "check Trunk's version (Trunk.toml)",
        ));
    }
    if !index.contains(APP_STARTED) {
        return Err(Failure::new(
            format!("the staged index.html no longer dispatches {APP_STARTED}, which the chunk loader waits for"),
            "check Trunk's version (Trunk.toml)",
        ));
    }
    for file in [format!("{name}.js"), format!("{name}_bg.wasm")] {
        let bytes = std::fs::read(staging.join(&file)).map_err(|e| unreadable(&staging.join(&file), e))?;
        index = replace_integrity(&index, &file, &integrity(&bytes)).ok_or_else(|| {
            Failure::new(
                format!("no integrity for {file} in the staged index.html"),
                "check Trunk's version (Trunk.toml)",
            )
        })?;
    }
    // Before Trunk's start script, so that the loader's integrity is known when it is imported.
    let start = index.find("<script type=\"module\">").ok_or_else(|| {
        Failure::new("the staged index.html has no start script", "check Trunk's version (Trunk.toml)")
    })?;
    index.insert_str(start, head);
    write(&index_path, index.as_bytes())
}

/// `index` with the `integrity` of the tag whose href is `./file` set to `value`.
fn replace_integrity(index: &str, file: &str, value: &str) -> Option<String> {
    let href = index.find(&format!("href=\"./{file}\""))?;
    let tag_end = href + index[href..].find('>')?;
    let start = href + index[href..tag_end].find("integrity=\"")? + "integrity=\"".len();
    let end = start + index[start..].find('"')?;
    Some(format!("{}{value}{}", &index[..start], &index[end..]))
}

/// Subresource integrity as Trunk writes it.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| unreadable(path, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display()), "check the disk"))
}

fn unreadable(path: &Path, error: std::io::Error) -> Failure {
    Failure::new(format!("cannot read {}: {error}", path.display()), "trunk build --release")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_named_files_integrity_changes() {
        let index = r#"<link rel="modulepreload" href="./a-1.js" integrity="sha384-old"><link rel="preload" href="./a-1_bg.wasm" integrity="sha384-wasm" as="fetch">"#;
        let changed = replace_integrity(index, "a-1.js", "sha384-new").unwrap();
        assert_eq!(changed, index.replace("sha384-old", "sha384-new"));
        assert_eq!(replace_integrity(index, "b-1.js", "x"), None);
    }

    #[test]
    fn a_split_is_named_by_its_group_of_pages() {
        assert_eq!(page_name("package_pages_5585525221693366156"), "package_pages");
        assert_eq!(page_name("__chart"), "chart");
        assert_eq!(page_name("admin_pages"), "admin_pages");
    }

    #[test]
    fn a_name_in_the_main_module_is_replaced_by_one_as_long() {
        assert_eq!(replace_bytes(b"\x05a-1234b-1234", "1234", "abcd"), b"\x05a-abcdb-abcd");
        assert_eq!(replace_bytes(b"123", "1234", "abcd"), b"123");
    }

    #[test]
    fn the_build_hash_is_as_long_as_trunks_and_follows_every_byte() {
        let hash = build_hash([&b"main"[..], b"chunk"].into_iter(), 16);
        assert_eq!(hash.len(), 16);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(hash, build_hash([&b"main"[..], b"chunk!"].into_iter(), 16));
        assert_ne!(hash, build_hash([&b"mainc"[..], b"hunk"].into_iter(), 16), "where one file ends counts");
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        assert_eq!(integrity(b""), "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb");
    }
}
