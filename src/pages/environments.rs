//! The start page (`/`): every environment with whether it answers and its headline numbers,
//! and a form to add one, kept in this browser. Choosing one opens its update packages.

use leptos::prelude::*;
use ota_model::console_config::{Environment, EnvironmentEntry, EnvironmentProblem};

use crate::api;
use crate::components::{Ask, ConfirmDialog};
use crate::i18n::{Msg, use_i18n};
use crate::nav::{self, Site, use_site};

#[component]
pub fn EnvironmentList() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let ask = RwSignal::new(None::<Ask>);
    // Keyed, so that adding or removing one environment does not ask the others again.
    let rows = {
        let site = site.clone();
        let each = move || site.all().into_iter().map(|env| (added_here(&site, &env), env)).collect::<Vec<_>>();
        let row = move |(removable, env): (bool, Environment)| view! { <EnvironmentRow env removable ask/> };
        view! { <For each key=|(_, env)| env.id.clone() children=row/> }
    };
    let column = move |label: Msg| view! { <th scope="col">{move || i18n.t(label)}</th> };
    view! {
        <section class="environments">
            <header class="page-header">
                <h1>{move || i18n.t(Msg::Environments)}</h1>
                <p class="intro">{move || i18n.t(Msg::EnvironmentsIntro)}</p>
            </header>
            <div class="table-scroll"><table class="data environments">
                <thead>
                    <tr>
                        {column(Msg::EnvironmentName)}
                        {column(Msg::Endpoint)}
                        {column(Msg::Reachability)}
                        {column(Msg::UpdatePackages)}
                        {column(Msg::BatchesRunning)}
                        {column(Msg::UnfinishedTasks)}
                        {column(Msg::ColumnActions)}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
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

/// One environment, asked for its headline when shown.
#[component]
fn EnvironmentRow(env: Environment, removable: bool, ask: RwSignal<Option<Ask>>) -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let headline = {
        let env = env.clone();
        LocalResource::new(move || {
            let env = env.clone();
            async move { api::headline(&env).await }
        })
    };
    let number = |n: u64| view! { <td class="number">{n}</td> }.into_any();
    let dash = move || view! { <td class="number muted">{move || i18n.t(Msg::NotSet)}</td> }.into_any();
    let cells = move || {
        Suspend::new(async move {
            match headline.await {
                Ok(found) => {
                    let overview = found.overview;
                    let server = found.server.clone();
                    let counted = found.counted_batches;
                    let note = move || (!counted).then(|| i18n.t(Msg::NoBatchCounts));
                    view! {
                        <td data-reachable="true">
                            <span class="badge good">{move || i18n.t(Msg::Reachable)}</span>
                            " "
                            <span class="muted">{server}</span>
                        </td>
                        {number(overview.firmware_count)}
                        {if found.counted_batches {
                            view! {
                                <td class="number">
                                    {overview.jobs_in_progress}
                                    {(overview.jobs_planned > 0).then(|| {
                                        let planned = overview.jobs_planned.to_string();
                                        view! { <span class="muted">{move || i18n.fill(Msg::PlannedToo, &[("count", &planned)])}</span> }
                                    })}
                                </td>
                            }
                            .into_any()
                        } else {
                            view! { <td class="number muted" title=note>{move || i18n.t(Msg::NotSet)}</td> }.into_any()
                        }}
                        {if found.counted_batches { number(overview.unfinished_tasks) } else { dash() }}
                    }
                    .into_any()
                }
                Err(error) => {
                    let detail = error.detail();
                    view! {
                        <td data-reachable="false">
                            <span class="badge bad">{move || i18n.t(Msg::NotReachable)}</span>
                            " "
                            <span class="muted">{detail}</span>
                        </td>
                        {dash()}
                        {dash()}
                        {dash()}
                    }
                    .into_any()
                }
            }
        })
    };
    let open_href = site.packages_href(&env);
    let remove = removable.then(|| {
        let (site, id, name) = (site.clone(), env.id.clone(), env.name.clone());
        let on_click = move |_| {
            let (site, id) = (site.clone(), id.clone());
            let message = i18n.fill(Msg::AskRemoveEnvironment, &[("name", &name)]);
            let on_confirm = Callback::new(move |()| site.remove(&id));
            ask.set(Some(Ask { message, confirm: Msg::Remove, on_confirm }));
        };
        view! { <button type="button" class="link" on:click=on_click>{move || i18n.t(Msg::Remove)}</button> }
    });
    let instance = env.iot_instance_id.clone().map(|id| view! { <span class="muted">{format!(" · {id}")}</span> });
    view! {
        <tr data-env=env.id.clone()>
            <td><a href=open_href.clone()>{env.name.clone()}</a></td>
            <td class="mono">{env.endpoint.clone()}{instance}</td>
            <Transition fallback=move || view! { <td colspan="4" class="muted">{move || i18n.t(Msg::Loading)}</td> }>
                {cells}
            </Transition>
            <td class="actions">
                <a href=open_href>{move || i18n.t(Msg::Open)}</a>
                {remove}
            </td>
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
            <h2>{move || i18n.t(Msg::AddEnvironment)}</h2>
            <p class="intro">{move || i18n.t(Msg::AddEnvironmentIntro)}</p>
            <div class="form-grid">
                <label for="env-name">{move || i18n.t(Msg::EnvironmentName)}</label>
                <div>
                    <input id="env-name" type="text" maxlength="64" aria-invalid=invalid(NAME) aria-describedby="env-name-error"
                        prop:value=move || name.get() on:input:target=move |ev| name.set(ev.target().value())/>
                    {error_for(NAME, "env-name-error")}
                </div>
                <label for="env-endpoint">{move || i18n.t(Msg::Endpoint)}</label>
                <div>
                    <input id="env-endpoint" type="url" placeholder="https://ota.example.com/" aria-invalid=invalid(ENDPOINT)
                        aria-describedby="env-endpoint-error"
                        prop:value=move || endpoint.get() on:input:target=move |ev| endpoint.set(ev.target().value())/>
                    {error_for(ENDPOINT, "env-endpoint-error")}
                </div>
                <label for="env-instance">{move || i18n.t(Msg::InstanceIdOptional)}</label>
                <div>
                    <input id="env-instance" type="text" maxlength="64" aria-invalid=invalid(INSTANCE) aria-describedby="env-instance-error"
                        prop:value=move || instance.get() on:input:target=move |ev| instance.set(ev.target().value())/>
                    {error_for(INSTANCE, "env-instance-error")}
                </div>
            </div>
            <button type="submit">{move || i18n.t(Msg::AddEnvironmentButton)}</button>
        </form>
    }
}
