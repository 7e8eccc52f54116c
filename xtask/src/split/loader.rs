//! The JavaScript the split adds: the patch to the chunk loader wasm-split writes, and the
//! script that fetches a deep link's chunks early from index.html.

use std::collections::BTreeMap;

use crate::project::Failure;

/// A module of the split wasm as it is served.
pub(super) struct Chunk {
    /// What wasm-split named it: `chunk_5`, `split_dashboard_2893…`.
    pub stem: String,
    /// `<stem>-<build hash>.wasm`.
    pub file: String,
    /// Its subresource integrity, which the loader's fetch and the deep link's preload carry.
    pub integrity: String,
}

/// Each group of lazy pages (src/app.rs) and the paths that open one of them, below the
/// console's mount point; the first that matches wins. A page opened first fetches its group's
/// code beside the main module.
const PAGE_PATHS: [(&str, &str); 9] = [
    ("package_list", "^/packages$"),
    ("package_pages", "^/packages/new$"),
    ("package_pages", "^/packages/[^/]+/batches/new$"),
    ("package_pages", "^/packages/[^/]+/batches/[^/]+$"),
    ("package_pages", "^/packages/[^/]+$"),
    ("package_pages", "^/devices/[^/]+/[^/]+$"),
    ("admin_pages", "^/modules$"),
    ("dashboard", "^/dashboard$"),
    ("admin_pages", "^/audit$"),
];

/// An inline script for index.html: on a page's address it preloads that page's chunks, so
/// that they come while the main module does, instead of after it has started. A preload is
/// used only by a fetch with the same integrity, which the loader's is.
pub(super) fn preload_script(pages: &BTreeMap<String, Vec<String>>, chunks: &[Chunk]) -> Result<String, Failure> {
    let known: std::collections::BTreeSet<&str> = PAGE_PATHS.iter().map(|(group, _)| *group).collect();
    if !pages.keys().map(String::as_str).eq(known.iter().copied()) {
        return Err(Failure::new(
            format!("the split pages {:?} are not the pages of PAGE_PATHS {known:?}", pages.keys().collect::<Vec<_>>()),
            "keep PAGE_PATHS (xtask/src/split/loader.rs) in step with the lazy routes in src/app.rs",
        ));
    }
    let mut routes = Vec::new();
    for (page, path) in PAGE_PATHS {
        let files = pages[page]
            .iter()
            .map(|file| {
                let chunk = chunks.iter().find(|chunk| chunk.file == *file).ok_or_else(|| {
                    Failure::new(format!("{page} needs {file}, which the split did not write"), "report it")
                })?;
                Ok([chunk.file.as_str(), chunk.integrity.as_str()])
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        routes.push(format!("[/{}/, {}]", path.replace('/', "\\/"), serde_json::to_string(&files).unwrap_or_default()));
    }
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
        routes[i][1].forEach(function (file) {{
          var link = document.createElement(\"link\");
          link.rel = \"preload\";
          link.as = \"fetch\";
          link.crossOrigin = \"anonymous\";
          link.href = file[0];
          link.integrity = file[1];
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
pub(super) const APP_STARTED: &str = "TrunkApplicationStarted";

/// A chunk that fails to arrive stops the console (Leptos's lazy routes cannot fail), so the
/// loader asks twice more, after 0.3 s and 0.6 s, before it gives up. Fetched with its
/// integrity, a chunk arrives whole and as built or not at all: a network error, a connection
/// dropped midway, a 5xx page and a 404 page all fail alike, so a HEAD tells them apart. A 404
/// or 410 is final, as the chunk is of an older release and only a reload helps (the crash
/// notice); anything else is asked again.
const FETCH_CHUNK: &str = r#"
async function fetchChunk(url, integrity) {
    for (let attempt = 1; ; attempt++) {
        try {
            // Again past the browser's cache, which may hold what failed.
            return await fetch(url, attempt === 1 ? { integrity } : { integrity, cache: "reload" });
        } catch (error) {
            const head = await fetch(url, { method: "HEAD" }).catch(() => undefined);
            if (head && (head.status === 404 || head.status === 410)) return head;
            if (attempt === 3) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
    }
}
"#;

/// The loader wasm-split wrote, with every chunk under its served name and fetched with its
/// integrity through [`FETCH_CHUNK`], and all of them loaded in the background
/// ([`LOAD_EVERY_PAGE`]).
pub(super) fn patch_loader(loader: &str, chunks: &[Chunk]) -> Result<String, Failure> {
    const MAKE_LOAD: &str = "function makeLoad(";
    const WRAP: &str = "function wrapAsyncCb(";
    let once = |text: &str| loader.matches(text).count() == 1;
    let fetches = |chunk: &Chunk| format!("const src = fetch(new URL(\"./{}.wasm\", import.meta.url));", chunk.stem);
    let expected = loader.matches("const src = fetch(").count() == chunks.len()
        && chunks.iter().all(|chunk| once(&fetches(chunk)))
        && once(MAKE_LOAD)
        && once(WRAP);
    if !expected {
        return Err(Failure::new(
            format!("the chunk loader does not load its {} chunks as expected: wasm-split has changed", chunks.len()),
            "check wasm_split_cli_support's version (xtask/Cargo.toml)",
        ));
    }
    let (imports, rest) = loader.split_once('\n').unwrap_or((loader, ""));
    let mut rest = rest.replace(MAKE_LOAD, "function makeLoadOnce(").replace(WRAP, "function wrapAsyncCbOnce(");
    for chunk in chunks {
        let served =
            format!("const src = fetchChunk(new URL(\"./{}\", import.meta.url), \"{}\");", chunk.file, chunk.integrity);
        rest = rest.replace(&fetches(chunk), &served);
    }
    let load_every_page = LOAD_EVERY_PAGE.replace("APP_STARTED", &format!("\"{APP_STARTED}\""));
    Ok(format!("{imports}\n{FETCH_CHUNK}{load_every_page}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(stem: &str) -> Chunk {
        Chunk { stem: stem.into(), file: format!("{stem}-ab.wasm"), integrity: format!("sha384-{stem}") }
    }

    #[test]
    fn the_loader_fetches_each_chunk_by_its_name_and_integrity_asks_again_and_loads_every_page_when_idle() {
        let loader = "import { initSync } from \"./m.js\";\nfunction makeLoad(fetcher, deps) {}\n\
                      function wrapAsyncCb(callee) {}\n\
                      const a = makeLoad(() => {\n    const src = fetch(new URL(\"./a.wasm\", import.meta.url));\n}, []);\n";
        let patched = patch_loader(loader, &[chunk("a")]).unwrap();
        assert!(patched.starts_with("import { initSync } from \"./m.js\";\n"));
        assert!(patched.contains(r#"const src = fetchChunk(new URL("./a-ab.wasm", import.meta.url), "sha384-a");"#));
        assert!(patched.contains("await fetch(url, attempt === 1 ? { integrity } : { integrity, cache: \"reload\" })"));
        assert!(patched.contains("function makeLoadOnce(fetcher, deps) {}"));
        assert!(patched.contains("everyLoad.push(load)"));
        assert!(patched.contains("addEventListener(\"TrunkApplicationStarted\", loadEveryPage"));
        assert!(patched.contains("function wrapAsyncCbOnce(callee) {}"));
        assert!(
            patch_loader(loader, &[chunk("a"), chunk("b")]).is_err(),
            "a loader that fetches other than expected is refused"
        );
        assert!(patch_loader(loader, &[chunk("b")]).is_err(), "a chunk the loader does not name is refused");
    }

    #[test]
    fn a_page_opened_first_preloads_its_groups_chunks_with_their_integrity_and_every_group_has_its_paths() {
        let chunks = [chunk("chunk_1"), chunk("chunk_2"), chunk("split_package_pages")];
        let mut pages: BTreeMap<String, Vec<String>> =
            PAGE_PATHS.iter().map(|(page, _)| (page.to_string(), vec!["chunk_1-ab.wasm".into()])).collect();
        pages.insert("package_pages".into(), vec!["chunk_2-ab.wasm".into(), "split_package_pages-ab.wasm".into()]);
        let script = preload_script(&pages, &chunks).unwrap();
        assert!(
            script.contains(
                r#"[/^\/packages\/[^\/]+\/batches\/[^\/]+$/, [["chunk_2-ab.wasm","sha384-chunk_2"],["split_package_pages-ab.wasm","sha384-split_package_pages"]]]"#
            ),
            "{script}"
        );
        assert!(script.contains("link.integrity = file[1];"), "{script}");
        pages.insert("reports".into(), vec![]);
        assert!(preload_script(&pages, &chunks).is_err(), "a group without paths is refused");
        pages.remove("reports");
        pages.insert("dashboard".into(), vec!["chunk_9-ab.wasm".into()]);
        assert!(preload_script(&pages, &chunks).is_err(), "a file the split did not write is refused");
        pages.remove("dashboard");
        assert!(preload_script(&pages, &chunks).is_err(), "paths without a group are refused");
    }
}
