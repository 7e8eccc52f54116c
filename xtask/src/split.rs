//! `cargo xtask post-build`: Trunk's post_build hook. Splits the console's wasm so that each
//! page's code is fetched when the page is first opened (Leptos's lazy routes, src/app.rs),
//! then precompresses the release output (precompress.rs).
//!
//! Trunk 0.21 runs wasm-bindgen right after cargo with no step between, so this redoes what
//! follows cargo on the raw module: wasm-split, wasm-bindgen with `--keep-lld-exports` (the
//! chunks import the main module's memory, table and shared functions), wasm-opt on every module
//! in release builds, then puts the results under Trunk's hashed names and their integrity into
//! the staged index.html. Every build Trunk makes goes through here, debug too: an unsplit
//! module imports a placeholder module no browser can load.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::project::{Failure, Project};

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
    let hash = trunk_hash(staging)?;
    let name = format!("{CRATE}-{hash}");
    let work = project.target_dir.join(format!("wasm-split/{}", if release { "release" } else { "debug" }));
    let _ = std::fs::remove_dir_all(&work);
    let chunks = work.join("chunks");
    let main = work.join("main.wasm");
    let main_module = format!("./{name}.js");
    let loader_name = format!("{CRATE}-split-{hash}.js");
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
    let main_wasm = bindgen.join(format!("{name}_bg.wasm"));
    let main_js = bindgen.join(format!("{name}.js"));

    // Each chunk gets the build's hash in its name, so that it may be cached for good.
    let mut loader = patch_loader(&read_text(&chunks.join(&loader_name))?, split.split_modules.len())?;
    let mut modules = vec![main_wasm.clone()];
    for chunk in &split.split_modules {
        let stem = chunk.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let hashed = staging.join(format!("{stem}-{hash}.wasm"));
        copy(chunk, &hashed)?;
        let url = format!("\"./{stem}.wasm\"");
        if loader.matches(&url).count() != 1 {
            return Err(Failure::new(
                format!("the chunk loader does not name {url} once: wasm-split has changed"),
                "check wasm_split_cli_support's version (xtask/Cargo.toml)",
            ));
        }
        loader = loader.replace(&url, &format!("\"./{stem}-{hash}.wasm\""));
        modules.push(hashed);
    }
    if release {
        optimise(project, &modules)?;
    }
    write(&staging.join(&loader_name), loader.as_bytes())?;
    let pages = page_files(&split.prefetch_map, &hash);
    write(&work.join("pages.json"), &serde_json::to_vec_pretty(&pages).unwrap_or_default())?;
    copy(&main_wasm, &staging.join(format!("{name}_bg.wasm")))?;
    copy(&main_js, &staging.join(format!("{name}.js")))?;
    let head = format!(
        "{}<link rel=\"modulepreload\" href=\"./{loader_name}\" crossorigin=\"anonymous\" integrity=\"{}\">\n",
        preload_script(&pages, &hash)?,
        integrity(loader.as_bytes())
    );
    rewrite_index(staging, &name, &head)
}

/// Each lazy page (src/app.rs) and the paths that open it, below the console's mount point;
/// the first that matches wins. A page opened first fetches its code beside the main module.
const PAGE_PATHS: [(&str, &str); 9] = [
    ("package_list", "^/packages$"),
    ("new_package", "^/packages/new$"),
    ("new_batch", "^/packages/[^/]+/batches/new$"),
    ("batch_detail", "^/packages/[^/]+/batches/[^/]+$"),
    ("package_detail", "^/packages/[^/]+$"),
    ("device_view", "^/devices/[^/]+/[^/]+$"),
    ("module_list", "^/modules$"),
    ("dashboard", "^/dashboard$"),
    ("audit_log", "^/audit$"),
];

/// An inline script for index.html: on a page's address it preloads that page's chunks, so
/// that they come while the main module does, instead of after it has started.
fn preload_script(pages: &BTreeMap<String, Vec<String>>, hash: &str) -> Result<String, Failure> {
    let known: Vec<&str> = PAGE_PATHS.iter().map(|(page, _)| *page).collect();
    if pages.len() != known.len() || pages.keys().any(|page| !known.contains(&page.as_str())) {
        return Err(Failure::new(
            format!("the split pages {:?} are not the pages of PAGE_PATHS {known:?}", pages.keys().collect::<Vec<_>>()),
            "keep PAGE_PATHS (xtask/src/split.rs) in step with the lazy routes in src/app.rs",
        ));
    }
    let routes: Vec<String> = PAGE_PATHS
        .iter()
        .map(|(page, path)| {
            let stems: Vec<&str> =
                pages[*page].iter().map(|file| file.trim_end_matches(&format!("-{hash}.wasm"))).collect();
            format!("[/{}/, {}]", path.replace('/', "\\/"), serde_json::to_string(&stems).unwrap_or_default())
        })
        .collect();
    Ok(format!(
        "<script>
    // Added by cargo xtask post-build (xtask/src/split.rs): the code of the page opened first
    // comes beside the main module.
    (function () {{
      var base = new URL(document.baseURI).pathname;
      var path = \"/\" + location.pathname.slice(base.length).replace(/\\/+$/, \"\");
      var routes = [{}];
      for (var i = 0; i < routes.length; i++) {{
        if (!routes[i][0].test(path)) continue;
        routes[i][1].forEach(function (stem) {{
          var link = document.createElement(\"link\");
          link.rel = \"preload\";
          link.as = \"fetch\";
          link.crossOrigin = \"anonymous\";
          link.href = stem + \"-{hash}.wasm\";
          document.head.appendChild(link);
        }});
        return;
      }}
    }})();
  </script>
",
        routes.join(", ")
    ))
}

/// Where `cargo xtask bench console` learns which files each page fetches when opened first.
pub fn pages_manifest(project: &Project) -> PathBuf {
    project.target_dir.join("wasm-split/release/pages.json")
}

/// `{"package_list": ["chunk_13-<hash>.wasm", …], …}`: each lazy page and the files it needs.
fn page_files(prefetch: &HashMap<String, Vec<String>>, hash: &str) -> BTreeMap<String, Vec<String>> {
    prefetch
        .iter()
        .map(|(split, stems)| (page_name(split), stems.iter().map(|stem| format!("{stem}-{hash}.wasm")).collect()))
        .collect()
}

/// `__batch_detail_route_view_5585…` (a lazy route's view, src/app.rs) → `batch_detail`.
fn page_name(split: &str) -> String {
    let name = split.trim_start_matches('_');
    name.split_once("_route_view").map_or(name, |(page, _)| page).to_owned()
}

/// Every load the loader makes is kept, and once the console runs they are run one after
/// another, each when the browser is idle and no page is waiting for its own code: the other
/// pages' code comes in the background, so that a click opens its page at once. A failure here
/// is only logged by the browser; the page's own load, when it is opened, tries again.
const LOAD_EVERY_PAGE: &str = r#"
const everyLoad = [];
function makeLoad(fetcher, deps) {
    const load = makeLoadOnce(fetcher, deps);
    everyLoad.push(load);
    return load;
}
let pageLoads = 0;
function wrapAsyncCb(callee) {
    return wrapAsyncCbOnce(async () => {
        pageLoads++;
        try {
            await callee();
        } finally {
            pageLoads--;
        }
    });
}
// Safari has no requestIdleCallback: a short pause stands in for it.
const whenIdle = window.requestIdleCallback || ((then) => setTimeout(then, 200));
const idle = () => new Promise((resolve) => whenIdle(resolve, { timeout: 2000 }));
async function loadEveryPage() {
    for (const load of everyLoad) {
        do await idle(); while (pageLoads > 0);
        try {
            await load();
        } catch (_) {}
    }
}
addEventListener(APP_STARTED, loadEveryPage, { once: true });
"#;

/// What Trunk's start script dispatches once the main module is running; the chunks link to its
/// memory and table, so none may load before.
const APP_STARTED: &str = "TrunkApplicationStarted";

/// A chunk that fails to arrive stops the console (Leptos's lazy routes cannot fail), so the
/// loader asks twice more, after 0.3 s and 0.6 s, before it gives up: on a network error, a 5xx
/// or a 429. Other answers are final: a 404 means the chunk is of an older release, and only a
/// reload helps (the crash notice).
const FETCH_CHUNK: &str = r#"
async function fetchChunk(url) {
    for (let attempt = 1; ; attempt++) {
        try {
            const response = await fetch(url);
            const transient = response.status >= 500 || response.status === 429;
            if (!transient || attempt === 3) return response;
        } catch (error) {
            if (attempt === 3) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
}
"#;

/// The loader wasm-split wrote, with every chunk fetched through [`FETCH_CHUNK`] and all of
/// them loaded in the background ([`LOAD_EVERY_PAGE`]).
fn patch_loader(loader: &str, modules: usize) -> Result<String, Failure> {
    const FETCH: &str = "const src = fetch(new URL(";
    const MAKE_LOAD: &str = "function makeLoad(";
    const WRAP: &str = "function wrapAsyncCb(";
    let once = |text: &str| loader.matches(text).count() == 1;
    if loader.matches(FETCH).count() != modules || !once(MAKE_LOAD) || !once(WRAP) {
        return Err(Failure::new(
            format!("the chunk loader does not load its {modules} chunks as expected: wasm-split has changed"),
            "check wasm_split_cli_support's version (xtask/Cargo.toml)",
        ));
    }
    let (imports, rest) = loader.split_once('\n').unwrap_or((loader, ""));
    let rest = rest
        .replace(FETCH, "const src = fetchChunk(new URL(")
        .replace(MAKE_LOAD, "function makeLoadOnce(")
        .replace(WRAP, "function wrapAsyncCbOnce(");
    let load_every_page = LOAD_EVERY_PAGE.replace("APP_STARTED", &format!("\"{APP_STARTED}\""));
    Ok(format!("{imports}\n{FETCH_CHUNK}{load_every_page}{rest}"))
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

/// Points index.html's integrity at the split script and wasm, and puts `head` before its
/// start script.
fn rewrite_index(staging: &Path, name: &str, head: &str) -> Result<(), Failure> {
    let index_path = staging.join("index.html");
    let mut index = read_text(&index_path)?;
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

fn copy(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::copy(from, to)
        .map(drop)
        .map_err(|e| Failure::new(format!("cannot copy {} to {}: {e}", from.display(), to.display()), "check the disk"))
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
    fn a_lazy_routes_split_is_named_by_its_page() {
        assert_eq!(page_name("__batch_detail_route_view_5585525221693366156"), "batch_detail");
        assert_eq!(page_name("__chart"), "chart");
    }

    #[test]
    fn the_loader_asks_again_for_what_fails_and_loads_every_page_when_idle() {
        let loader = "import { initSync } from \"./m.js\";\nfunction makeLoad(fetcher, deps) {}\n\
                      function wrapAsyncCb(callee) {}\n\
                      const a = makeLoad(() => {\n    const src = fetch(new URL(\"./a.wasm\", import.meta.url));\n}, []);\n";
        let patched = patch_loader(loader, 1).unwrap();
        assert!(patched.starts_with("import { initSync } from \"./m.js\";\n"));
        assert!(patched.contains("const src = fetchChunk(new URL(\"./a.wasm\""));
        assert!(patched.contains("function makeLoadOnce(fetcher, deps) {}"));
        assert!(patched.contains("everyLoad.push(load)"));
        assert!(patched.contains("addEventListener(\"TrunkApplicationStarted\", loadEveryPage"));
        assert!(patched.contains("function wrapAsyncCbOnce(callee) {}"));
        assert!(patch_loader(loader, 2).is_err(), "a loader that fetches other than expected is refused");
    }

    #[test]
    fn a_page_opened_first_preloads_its_own_chunks_and_every_page_has_its_paths() {
        let mut pages: BTreeMap<String, Vec<String>> =
            PAGE_PATHS.iter().map(|(page, _)| (page.to_string(), vec![format!("chunk_1-ab.wasm")])).collect();
        pages.insert("batch_detail".into(), vec!["chunk_2-ab.wasm".into(), "split___batch_detail-ab.wasm".into()]);
        let script = preload_script(&pages, "ab").unwrap();
        assert!(
            script.contains(r#"[/^\/packages\/[^\/]+\/batches\/[^\/]+$/, ["chunk_2","split___batch_detail"]]"#),
            "{script}"
        );
        assert!(script.contains(r#"stem + "-ab.wasm""#), "{script}");
        pages.insert("reports".into(), vec![]);
        assert!(preload_script(&pages, "ab").is_err(), "a page without paths is refused");
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        assert_eq!(integrity(b""), "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb");
    }
}
