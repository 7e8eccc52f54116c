//! The JavaScript the split adds: the patch to the chunk loader wasm-split writes, and the
//! script that fetches a deep link's chunks early from index.html.

use std::collections::BTreeMap;

use crate::project::Failure;

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
/// that they come while the main module does, instead of after it has started.
pub(super) fn preload_script(pages: &BTreeMap<String, Vec<String>>, hash: &str) -> Result<String, Failure> {
    let known: std::collections::BTreeSet<&str> = PAGE_PATHS.iter().map(|(group, _)| *group).collect();
    if !pages.keys().map(String::as_str).eq(known.iter().copied()) {
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
pub(super) fn patch_loader(loader: &str, modules: usize) -> Result<String, Failure> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_page_opened_first_preloads_its_groups_chunks_and_every_group_has_its_paths() {
        let mut pages: BTreeMap<String, Vec<String>> =
            PAGE_PATHS.iter().map(|(page, _)| (page.to_string(), vec![format!("chunk_1-ab.wasm")])).collect();
        pages.insert("package_pages".into(), vec!["chunk_2-ab.wasm".into(), "split_package_pages-ab.wasm".into()]);
        let script = preload_script(&pages, "ab").unwrap();
        assert!(
            script.contains(r#"[/^\/packages\/[^\/]+\/batches\/[^\/]+$/, ["chunk_2","split_package_pages"]]"#),
            "{script}"
        );
        assert!(script.contains(r#"stem + "-ab.wasm""#), "{script}");
        pages.insert("reports".into(), vec![]);
        assert!(preload_script(&pages, "ab").is_err(), "a group without paths is refused");
        pages.remove("reports");
        pages.remove("dashboard");
        assert!(preload_script(&pages, "ab").is_err(), "paths without a group are refused");
    }
}
