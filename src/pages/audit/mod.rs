//! The audit log (`/audit`): every change and refused call on the instance, newest first,
//! filtered by who, operation, target, result and dates. Its state lives in the query string
//! (`who`, `action`, `target`, `outcome`, `from`, `to`, `page`, `size`), so a view of it can be
//! linked. Admins only: others are refused by the backend, and the header does not offer it.

mod event;

pub use event::{EventDetails, TargetLink, Who, result_text};

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use ota_model::audit::{AuditEvent, ListOTAAuditEvents, ListOTAAuditEventsResponse, Outcome};
use ota_model::{PageRequest, UtcTime};

use self::event::outcome_label;
use crate::api;
use crate::components::{ErrorPanel, Loaded, PagedList};
use crate::format;
use crate::i18n::{AuditMsg, use_i18n};
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

const PAGE_SIZES: &[u32] = &[20, 50, ListOTAAuditEvents::MAX_PAGE_SIZE];

/// What the log shows, as read from and written to the query string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filter {
    who: String,
    action: String,
    target: String,
    outcome: Option<Outcome>,
    /// Days as `YYYY-MM-DD`, both included.
    from: String,
    to: String,
    page: u32,
    size: u32,
}

impl Filter {
    fn from_query(query: &ParamsMap) -> Self {
        let number = |name: &str| query.get(name).and_then(|v| v.parse::<u32>().ok());
        let text = |name: &str| query.get(name).unwrap_or_default().trim().chars().take(128).collect::<String>();
        Self {
            who: text("who"),
            action: text("action"),
            target: text("target"),
            outcome: query.get("outcome").and_then(|o| o.parse().ok()),
            from: text("from"),
            to: text("to"),
            page: number("page").filter(|p| *p >= 1).unwrap_or(1),
            size: number("size").filter(|s| PAGE_SIZES.contains(s)).unwrap_or(PAGE_SIZES[0]),
        }
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = vec![
            ("who", self.who.clone()),
            ("action", self.action.clone()),
            ("target", self.target.clone()),
            ("outcome", self.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
        ];
        if self.page != 1 {
            query.push(("page", self.page.to_string()));
        }
        if self.size != PAGE_SIZES[0] {
            query.push(("size", self.size.to_string()));
        }
        query
    }

    /// The request, or the message for a date that is not one.
    fn request(&self) -> Result<ListOTAAuditEvents, AuditMsg> {
        let day = |text: &str, after: bool| -> Result<Option<UtcTime>, AuditMsg> {
            if text.is_empty() {
                return Ok(None);
            }
            format::local_day_start(text, after).map(Some).ok_or(AuditMsg::BadDate)
        };
        let given = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
        Ok(ListOTAAuditEvents {
            start_time: day(&self.from, false)?,
            end_time: day(&self.to, true)?,
            principal: given(&self.who),
            action_name: given(&self.action),
            target_id: given(&self.target),
            outcome: self.outcome,
            page: PageRequest::new(self.page, self.size),
        })
    }
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let site = use_site();
    let env = use_environment();
    let query = use_query_map();
    let filter = Memo::new(move |_| Filter::from_query(&query.read()));
    let events = resource(move || {
        let (env, filter) = (env.get(), filter.get());
        async move {
            if !api::offers_audit_log(&env).await? {
                return Ok(None);
            }
            match filter.request() {
                Ok(request) => api::audit_events(&env, &request).await.map(|r| Some(Ok(r))),
                Err(message) => Ok(Some(Err(message))),
            }
        }
    });
    let href = {
        let site = site.clone();
        move |filter: &Filter| site.href(&env.get_untracked(), "/audit", &filter.query())
    };
    let go = {
        let navigate = use_navigate();
        let href = href.clone();
        move |filter: Filter| navigate(&href(&filter), nav::to_href(false))
    };
    let apply = go.clone();
    let results = move || {
        let (href, go) = (href.clone(), go.clone());
        Suspend::new(async move {
            match events.await {
                Ok(Some(Ok(response))) => {
                    let current = filter.get_untracked();
                    let page_href = {
                        let current = current.clone();
                        move |page: u32| href(&Filter { page, ..current.clone() })
                    };
                    let resize = move |size: u32| go(Filter { size, page: 1, ..filter.get_untracked() });
                    view! { <Results response page_href resize/> }.into_any()
                }
                Ok(Some(Err(message))) => {
                    view! { <div class="panel error" role="alert"><p>{move || i18n.t(message)}</p></div> }.into_any()
                }
                Ok(None) => {
                    view! { <div class="panel empty"><p>{i18n.text(AuditMsg::NoAuditLog)}</p></div> }.into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || events.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="audit-log">
            <header class="page-header">
                <h1>{i18n.text(AuditMsg::AuditLog)}</h1>
                <p class="intro">{i18n.text(AuditMsg::AuditIntro)}</p>
            </header>
            <FilterForm filter on_apply=apply/>
            <Loaded view=results/>
        </section>
    }
}

/// The filters, applied together; the form follows the URL when it changes (back, forward).
#[component]
fn FilterForm(filter: Memo<Filter>, on_apply: impl Fn(Filter) + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(filter.get_untracked());
    Effect::new(move |_| draft.set(filter.get()));
    let text_field =
        move |label: AuditMsg, name: &'static str, get: fn(&Filter) -> &String, set: fn(&mut Filter, String)| {
            view! {
                <label class="field">
                    <span>{move || i18n.t(label)}</span>
                    <input
                        type="text"
                        name=name
                        maxlength="128"
                        prop:value=move || draft.with(|d| get(d).clone())
                        on:input:target=move |ev| draft.update(|d| set(d, ev.target().value()))
                    />
                </label>
            }
        };
    let date_field =
        move |label: AuditMsg, name: &'static str, get: fn(&Filter) -> &String, set: fn(&mut Filter, String)| {
            view! {
                <label class="field">
                    <span>{move || i18n.t(label)}</span>
                    <input
                        type="date"
                        name=name
                        prop:value=move || draft.with(|d| get(d).clone())
                        on:input:target=move |ev| draft.update(|d| set(d, ev.target().value()))
                    />
                </label>
            }
        };
    let outcome_option = move |outcome: Outcome| {
        view! { <option value=outcome.as_str()>{move || i18n.t(outcome_label(outcome))}</option> }
    };
    let apply = on_apply.clone();
    view! {
        <form
            class="filters"
            role="search"
            aria-label=move || i18n.t(AuditMsg::Filters)
            on:submit=move |ev| {
                ev.prevent_default();
                apply(Filter { page: 1, ..draft.get_untracked() });
            }
        >
            {text_field(AuditMsg::FilterWho, "who", |f| &f.who, |f, v| f.who = v)}
            {text_field(AuditMsg::FilterAction, "action", |f| &f.action, |f, v| f.action = v)}
            {text_field(AuditMsg::FilterTarget, "target", |f| &f.target, |f, v| f.target = v)}
            <label class="field">
                <span>{i18n.text(AuditMsg::FilterOutcome)}</span>
                <select
                    name="outcome"
                    prop:value=move || draft.with(|d| d.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default())
                    on:change:target=move |ev| draft.update(|d| d.outcome = ev.target().value().parse().ok())
                >
                    <option value="">{i18n.text(AuditMsg::AnyOutcome)}</option>
                    {Outcome::ALL.iter().copied().map(outcome_option).collect_view()}
                </select>
            </label>
            {date_field(AuditMsg::FilterFrom, "from", |f| &f.from, |f, v| f.from = v)}
            {date_field(AuditMsg::FilterTo, "to", |f| &f.to, |f, v| f.to = v)}
            <div class="filter-actions">
                <button type="submit" class="primary">{i18n.text(AuditMsg::Apply)}</button>
                <button type="button" on:click=move |_| on_apply(Filter { size: filter.get_untracked().size, ..Filter::default() })>
                    {i18n.text(AuditMsg::ClearFilters)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Results(
    response: ListOTAAuditEventsResponse,
    page_href: impl Fn(u32) -> String + Send + Sync + 'static,
    resize: impl Fn(u32) + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let events = response.data.items;
    if response.page.total == 0 {
        return view! { <div class="panel empty"><p>{i18n.text(AuditMsg::NoEvents)}</p></div> }.into_any();
    }
    let has_rows = !events.is_empty();
    view! {
        <PagedList page=response.page sizes=PAGE_SIZES has_rows href=page_href on_size=resize>
            <EventTable events=events.clone()/>
        </PagedList>
    }
    .into_any()
}

#[component]
fn EventTable(events: Vec<AuditEvent>) -> impl IntoView {
    let i18n = use_i18n();
    let row = move |event: AuditEvent| {
        let outcome = event.outcome.as_str().to_ascii_lowercase();
        let result = result_text(i18n, &event);
        let id = event.event_id;
        view! {
            <tr data-event-id=id data-outcome=outcome>
                <td class="nowrap">{move || format::local_time_precise(event.utc_time)}</td>
                <td><Who event=event.clone()/></td>
                <td class="mono">{event.action.clone()}</td>
                <td><TargetLink event=event.clone()/></td>
                <td>{result}</td>
                <td class="mono">{event.source_ip.clone()}</td>
                <td><EventDetails event/></td>
            </tr>
        }
    };
    view! {
        <div class="table-scroll"><table class="data audit-events">
            <thead><tr>
                <th scope="col">{i18n.text(AuditMsg::ColumnTime)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnWho)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnOperation)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnTarget)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnResult)}</th>
                <th scope="col">{i18n.text(AuditMsg::ColumnSource)}</th>
                <th scope="col">{i18n.text(AuditMsg::Details)}</th>
            </tr></thead>
            <tbody>{events.into_iter().map(row).collect_view()}</tbody>
        </table></div>
    }
}
