//! The start page (`/`, "All environments"): every environment with whether it answers, and
//! under it the instances its backend hosts, each with its headline numbers. Choosing an
//! instance (its ID or name) opens its update packages. Environments can be added, kept in
//! this browser.

use leptos::prelude::*;
use ota_model::console_config::{Environment, EnvironmentEntry, EnvironmentProblem};
use ota_model::extensions::InstanceInfo;

use crate::api;
use crate::components::{Ask, ConfirmDialog, Loaded};
use crate::i18n::{Msg, use_i18n};
use crate::nav::{self, Site, use_site};
use crate::resource::resource;

const COLUMNS: &str = "6";

#[component]
pub fn EnvironmentList() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let ask = RwSignal::new(None::<Ask>);
    // Keyed, so that adding or removing one environment does not ask the others again.
    let groups = {
        let site = site.clone();
        let each = move || site.all().into_iter().map(|env| (added_here(&site, &env), env)).collect::<Vec<_>>();
        let group = move |(removable, env): (bool, Environment)| view! { <EnvironmentGroup env removable ask/> };
        view! { <For each key=|(_, env)| env.id.clone() children=group/> }
    };
    let column = move |label: Msg| view! { <th scope="col">{move || i18n.t(label)}</th> };
    view! {
        <section class="environments">
            <header class="page-header">
                <h1>{i18n.text(Msg::Environments)}</h1>
                <p class="intro">{i18n.text(Msg::EnvironmentsIntro)}</p>
            </header>
            <div class="table-scroll"><table class="data environments">
                <thead>
                    <tr>
                        {column(Msg::InstanceId)}
                        {column(Msg::InstanceName)}
                        {column(Msg::UpdatePackages)}
                        {column(Msg::BatchesRunning)}
                        {column(Msg::UnfinishedTasks)}
                        {column(Msg::ColumnActions)}
                    </tr>
                </thead>
                {groups}
            </table></div>
            <AddEnvironment/>
            <ConfirmDialog ask/>
        </section>
    }
}

/// Whether `env` was added in this browser (only those can be removed).
fn added_here(site: &Site, env: &Environment) -> bool {
    site.configured.iter().all(|known| known.id != env.id)
}

/// One environment: a row saying what it is and whether it answers, then its instances.
#[component]
fn EnvironmentGroup(env: Environment, removable: bool, ask: RwSignal<Option<Ask>>) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let found = {
        let env = env.clone();
        resource(move || {
            let env = env.clone();
            async move { api::instances(&env).await }
        })
    };
    let reachability = move || {
        Suspend::new(async move {
            match found.await {
                Ok(found) => {
                    let unlisted =
                        (!found.listed).then(|| view! { <p class="muted">{i18n.text(Msg::InstancesNotListed)}</p> });
                    view! {
                        <span class="badge good" data-reachable="true">{i18n.text(Msg::Reachable)}</span>
                        " "
                        <span class="muted">{found.server}</span>
                        {unlisted}
                    }
                    .into_any()
                }
                Err(error) => view! {
                    <span class="badge bad" data-reachable="false">{i18n.text(Msg::NotReachable)}</span>
                    " "
                    <span class="muted">{error.detail()}</span>
                }
                .into_any(),
            }
        })
    };
    let instance_rows = {
        let env = env.clone();
        move || {
            let env = env.clone();
            Suspend::new(async move {
                match found.await {
                    Ok(found) if found.instances.is_empty() => view! {
                        <tr><td colspan=COLUMNS class="muted">{i18n.text(Msg::NoInstances)}</td></tr>
                    }
                    .into_any(),
                    Ok(found) => found
                        .instances
                        .into_iter()
                        .map(|instance| view! { <InstanceRow env=env.for_instance(&instance) instance/> })
                        .collect_view()
                        .into_any(),
                    // The environment's own row says why.
                    Err(_) => ().into_any(),
                }
            })
        }
    };
    let remove = removable.then(|| {
        let (site, id, name) = (site.clone(), env.id.clone(), env.name.clone());
        let on_click = move |_| {
            let (site, id) = (site.clone(), id.clone());
            let message = i18n.fill(Msg::AskRemoveEnvironment, &[("name", &name)]);
            ask.set(Some(Ask::new(message, Msg::Remove, move || site.remove(&id))));
        };
        view! { <button type="button" class="link" on:click=on_click>{i18n.text(Msg::Remove)}</button> }
    });
    let loading = move || view! { <tr><td colspan=COLUMNS class="muted">{i18n.text(Msg::Loading)}</td></tr> };
    view! {
        <tbody data-env=env.id.clone()>
            <tr class="environment">
                <th colspan=COLUMNS scope="rowgroup">
                    <span class="environment-name">{env.name.clone()}</span>
                    " "
                    <span class="mono muted">{env.endpoint.clone()}</span>
                    " "
                    <Loaded
                        view=reachability
                        fallback=move || view! { <span class="muted">{i18n.text(Msg::Loading)}</span> }
                    />
                    " "
                    {remove}
                </th>
            </tr>
            <Loaded view=instance_rows fallback=loading/>
        </tbody>
    }
}

/// One instance of an environment (`env` is already in it), with its headline numbers.
#[component]
fn InstanceRow(env: Environment, instance: InstanceInfo) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let open_href = site.packages_href(&env);
    let headline = resource(move || {
        let env = env.clone();
        async move { api::headline(&env).await }
    });
    let number = |n: u64| view! { <td class="number">{n}</td> }.into_any();
    let dash = move || view! { <td class="number muted">{i18n.text(Msg::NotSet)}</td> }.into_any();
    let cells = move || {
        Suspend::new(async move {
            match headline.await {
                Ok(found) => {
                    let (overview, counted) = (found.overview, found.counted_batches);
                    let note = move || (!counted).then(|| i18n.t(Msg::NoBatchCounts));
                    let running = if counted {
                        let planned = (overview.jobs_planned > 0).then(|| {
                            let planned = overview.jobs_planned.to_string();
                            view! { <span class="muted">{move || i18n.fill(Msg::PlannedToo, &[("count", &planned)])}</span> }
                        });
                        view! { <td class="number">{overview.jobs_in_progress}{planned}</td> }.into_any()
                    } else {
                        view! { <td class="number muted" title=note>{i18n.text(Msg::NotSet)}</td> }.into_any()
                    };
                    view! {
                        {number(overview.firmware_count)}
                        {running}
                        {if counted { number(overview.unfinished_tasks) } else { dash() }}
                    }
                    .into_any()
                }
                Err(error) => {
                    view! { <td colspan="3" class="muted" data-headline="failed">{error.detail()}</td> }.into_any()
                }
            }
        })
    };
    let id = instance.iot_instance_id.clone();
    let id_text = move || if id.is_empty() { i18n.t(Msg::DefaultInstance).to_owned() } else { id.clone() };
    let name = (!instance.name.is_empty()).then(|| instance.name.clone());
    let default_badge = (instance.is_default && !instance.iot_instance_id.is_empty())
        .then(|| view! { " " <span class="badge neutral">{i18n.text(Msg::DefaultInstance)}</span> });
    view! {
        <tr data-instance=instance.iot_instance_id.clone()>
            <th scope="row" class="mono"><a href=open_href.clone()>{id_text}</a>{default_badge}</th>
            <td>
                {match name {
                    Some(name) => view! { <a href=open_href.clone()>{name}</a> }.into_any(),
                    None => view! { <span class="muted">{i18n.text(Msg::NotSet)}</span> }.into_any(),
                }}
            </td>
            <Loaded view=cells fallback=move || view! { <td colspan="3" class="muted">{i18n.text(Msg::Loading)}</td> }/>
            <td class="actions"><a href=open_href>{i18n.text(Msg::Open)}</a></td>
        </tr>
    }
}

/// Adds an environment for this browser's user: checked field by field as the model says.
#[component]
fn AddEnvironment() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let (name, endpoint, instance) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let problem = RwSignal::new(None::<EnvironmentProblem>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let known = site.all();
        let added = EnvironmentEntry::added_by_user(
            &name.get_untracked(),
            &endpoint.get_untracked(),
            &instance.get_untracked(),
            &known,
        )
        .map_err(Some)
        .and_then(|entry| entry.resolve_on(&nav::page_origin()).map_err(|_| Some(EnvironmentProblem::Endpoint)));
        match added {
            Ok(env) => {
                site.add(env);
                problem.set(None);
                for field in [name, endpoint, instance] {
                    field.set(String::new());
                }
            }
            Err(found) => problem.set(found),
        }
    };
    let error_for = move |fields: &'static [EnvironmentProblem], id: &'static str| {
        move || {
            problem.get().filter(|p| fields.contains(p)).map(|p| {
                let msg = match p {
                    EnvironmentProblem::Name => Msg::EnvironmentNameProblem,
                    EnvironmentProblem::NameTaken => Msg::EnvironmentNameTaken,
                    EnvironmentProblem::Endpoint => Msg::EndpointProblem,
                    EnvironmentProblem::InstanceId => Msg::InstanceIdProblem,
                };
                view! { <p class="field-error" id=id>{move || i18n.t(msg)}</p> }
            })
        }
    };
    let invalid = move |fields: &'static [EnvironmentProblem]| {
        move || problem.get().is_some_and(|p| fields.contains(&p)).then_some("true")
    };
    const NAME: &[EnvironmentProblem] = &[EnvironmentProblem::Name, EnvironmentProblem::NameTaken];
    const ENDPOINT: &[EnvironmentProblem] = &[EnvironmentProblem::Endpoint];
    const INSTANCE: &[EnvironmentProblem] = &[EnvironmentProblem::InstanceId];
    view! {
        <form class="panel add-environment" on:submit=submit novalidate>
            <h2>{i18n.text(Msg::AddEnvironment)}</h2>
            <p class="intro">{i18n.text(Msg::AddEnvironmentIntro)}</p>
            <div class="form-grid">
                <label for="env-name">{i18n.text(Msg::EnvironmentName)}</label>
                <div>
                    <input id="env-name" type="text" maxlength="64" aria-invalid=invalid(NAME) aria-describedby="env-name-error"
                        prop:value=move || name.get() on:input:target=move |ev| name.set(ev.target().value())/>
                    {error_for(NAME, "env-name-error")}
                </div>
                <label for="env-endpoint">{i18n.text(Msg::Endpoint)}</label>
                <div>
                    <input id="env-endpoint" type="url" placeholder="https://ota.example.com/" aria-invalid=invalid(ENDPOINT)
                        aria-describedby="env-endpoint-error"
                        prop:value=move || endpoint.get() on:input:target=move |ev| endpoint.set(ev.target().value())/>
                    {error_for(ENDPOINT, "env-endpoint-error")}
                </div>
                <label for="env-instance">{i18n.text(Msg::InstanceIdOptional)}</label>
                <div>
                    <input id="env-instance" type="text" maxlength="64" aria-invalid=invalid(INSTANCE) aria-describedby="env-instance-error"
                        prop:value=move || instance.get() on:input:target=move |ev| instance.set(ev.target().value())/>
                    {error_for(INSTANCE, "env-instance-error")}
                </div>
            </div>
            <button type="submit">{i18n.text(Msg::AddEnvironmentButton)}</button>
        </form>
    }
}
