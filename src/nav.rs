//! Where things are: the console's mount point, the selected environment and instance, and
//! links that keep all three.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use ota_model::console_config::{Environment, EnvironmentEntry};

/// Where this browser keeps the environments its user added.
const ADDED_STORAGE_KEY: &str = "ota-console.environments";

/// Facts about this console installation, shared through context.
#[derive(Debug, Clone)]
pub struct Site {
    /// The mount point without its trailing slash: `""` at the root, `"/ota"` under a sub-path.
    pub base: String,
    /// From `config.json`; never empty. The first one is the default.
    pub configured: Arc<Vec<Environment>>,
    /// Added by this browser's user, kept in local storage.
    pub added: RwSignal<Vec<Environment>>,
}

pub fn use_site() -> Site {
    expect_context::<Site>()
}

/// The origin the console was loaded from, e.g. `https://cdn.example.com`.
pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// The mount point, from the `<base>` that index.html computed.
pub fn mount_point() -> String {
    let base_uri = document().base_uri().ok().flatten().unwrap_or_default();
    let path = web_sys::Url::new(&base_uri).map(|url| url.pathname()).unwrap_or_default();
    path.trim_end_matches('/').to_owned()
}

/// The environment the URL selects (`?env=`), or the default one, in the instance it selects
/// (`?instance=`), or the environment's own.
pub fn use_environment() -> Memo<Environment> {
    let site = use_site();
    let query = use_query_map();
    Memo::new(move |_| {
        let query = query.read();
        let chosen = match query.get("env") {
            None => Some(site.configured[0].clone()),
            Some(wanted) => site.all().into_iter().find(|env| env.id == wanted),
        };
        // An instance belongs to its environment's backend: an unknown environment drops it.
        chosen
            .map(|env| env.in_instance(query.get("instance").as_deref()))
            .unwrap_or_else(|| site.configured[0].clone())
    })
}

impl Site {
    /// The configured environments, then the added ones (tracked).
    pub fn all(&self) -> Vec<Environment> {
        self.configured.iter().cloned().chain(self.added.get()).collect()
    }

    /// The added environments kept in this browser, each checked as `config.json`'s are;
    /// entries that no longer pass, or clash with a configured id, are left out.
    pub fn load_added(configured: &[Environment]) -> Vec<Environment> {
        let stored = storage().and_then(|s| s.get_item(ADDED_STORAGE_KEY).ok().flatten()).unwrap_or_default();
        let entries: Vec<EnvironmentEntry> = serde_json::from_str(&stored).unwrap_or_default();
        let origin = page_origin();
        entries
            .into_iter()
            .filter_map(|entry| entry.resolve_on(&origin).ok())
            .filter(|env| configured.iter().all(|known| known.id != env.id))
            .collect()
    }

    /// Adds an environment and keeps it in this browser.
    pub fn add(&self, env: Environment) {
        self.change_added(|added| added.push(env));
    }

    pub fn remove(&self, id: &str) {
        self.change_added(|added| added.retain(|env| env.id != id));
    }

    /// Changes what storage holds now (another tab may have changed it) and shows the result.
    fn change_added(&self, change: impl FnOnce(&mut Vec<Environment>)) {
        let mut added = Self::load_added(&self.configured);
        change(&mut added);
        let entries: Vec<EnvironmentEntry> = added
            .iter()
            .map(|env| EnvironmentEntry {
                id: env.id.clone(),
                name: env.name.clone(),
                endpoint: Some(env.endpoint.clone()),
                iot_instance_id: env.iot_instance_id.clone(),
                signed_host: env.signed_host.clone(),
            })
            .collect();
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&entries)) {
            let _ = storage.set_item(ADDED_STORAGE_KEY, &json);
        }
        self.added.set(added);
    }

    /// The environment `id` as configured (or added), in its own instance.
    fn as_configured(&self, id: &str) -> Option<Environment> {
        let added = self.added.with_untracked(|added| added.iter().find(|env| env.id == id).cloned());
        self.configured.iter().find(|env| env.id == id).cloned().or(added)
    }

    /// The package list in `env`.
    pub fn packages_href(&self, env: &Environment) -> String {
        self.href(env, "/packages", &[])
    }

    /// A link to `path` (starting with `/`) in environment `env` and its instance, with query
    /// parameters. Empty values are left out, and so are the default environment and the
    /// environment's own instance.
    pub fn href(&self, env: &Environment, path: &str, query: &[(&str, String)]) -> String {
        let env_param = (env.id != self.configured[0].id).then(|| ("env", env.id.clone()));
        let instance_param = self
            .as_configured(&env.id)
            .and_then(|configured| env.instance_param(&configured).map(|id| ("instance", id.to_owned())));
        let query: Vec<String> = env_param
            .iter()
            .chain(instance_param.iter())
            .chain(query.iter())
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", segment(value)))
            .collect();
        let path = format!("{}{path}", self.base);
        if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) }
    }
}

impl Site {
    /// A link to `path` with the page's query as it is but for `changes` (a value, or none to
    /// leave the parameter out): a filter chosen in one part of a page keeps the others'.
    pub fn href_changing(
        &self,
        env: &Environment,
        path: &str,
        current: &ParamsMap,
        changes: &[(&str, Option<String>)],
    ) -> String {
        let mut query: Vec<(&str, String)> = current
            .latest_values()
            .map(|(name, value)| (name.as_ref(), value.to_owned()))
            .filter(|(name, _)| {
                !matches!(*name, "env" | "instance") && !changes.iter().any(|(changed, _)| changed == name)
            })
            .collect();
        query.extend(changes.iter().filter_map(|(name, value)| value.clone().map(|v| (*name, v))));
        self.href(env, path, &query)
    }
}

/// A package's page, as a path for [`Site::href`].
pub fn package_path(firmware_id: &str) -> String {
    format!("/packages/{}", segment(firmware_id))
}

/// A batch's page, under its package's.
pub fn batch_path(firmware_id: &str, job_id: &str) -> String {
    format!("{}/batches/{}", package_path(firmware_id), segment(job_id))
}

/// A device's page.
pub fn device_path(product_key: &str, device_name: &str) -> String {
    format!("/devices/{}/{}", segment(product_key), segment(device_name))
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn segment(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}

/// Options for navigating to a URL made by [`Site::href`]: it already holds the mount point,
/// which the router would otherwise prepend a second time.
pub fn to_href(replace: bool) -> NavigateOptions {
    NavigateOptions { resolve: false, replace, ..Default::default() }
}
