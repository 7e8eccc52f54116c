//! Page links and the page-size choice under a list.

use leptos::prelude::*;
use ota_model::Page;

use crate::format;
use crate::i18n::{Msg, use_i18n};

/// Links to the pages of a list. `href` gives the link to a page number; `on_size` is called
/// with a newly chosen page size.
#[component]
pub fn Pager(
    page: Page,
    sizes: &'static [u32],
    #[prop(into)] href: Callback<u32, String>,
    #[prop(into)] on_size: Callback<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = page.current_page;
    let last = page.last_page();
    let summary = move || match page.row_range() {
        Some((first, last_row)) => i18n.fill(
            Msg::PageSummary,
            &[
                ("first", &format::count(first)),
                ("last", &format::count(last_row)),
                ("total", &format::count(page.total)),
            ],
        ),
        None => String::new(),
    };
    let step = move |label: Msg, target: u32, enabled: bool, rel: &'static str| {
        if enabled {
            view! { <a class="step" rel=rel href=href.run(target)>{move || i18n.t(label)}</a> }.into_any()
        } else {
            view! { <span class="step" aria-disabled="true">{move || i18n.t(label)}</span> }.into_any()
        }
    };
    let numbers = page
        .nearby_pages(2)
        .map(|n| {
            if n == current {
                view! { <span class="number" aria-current="page">{n}</span> }.into_any()
            } else {
                view! { <a class="number" href=href.run(n)>{n}</a> }.into_any()
            }
        })
        .collect_view();
    view! {
        <div class="pager">
            <p class="summary" aria-live="polite">{summary}</p>
            <nav aria-label=move || i18n.t(Msg::Pagination)>
                {step(Msg::FirstPage, 1, current > 1, "first")}
                {step(Msg::PreviousPage, current.saturating_sub(1).max(1), current > 1, "prev")}
                {numbers}
                {step(Msg::NextPage, current + 1, current < last, "next")}
                {step(Msg::LastPage, last, current < last, "last")}
            </nav>
            <label class="page-size">
                <span>{i18n.text(Msg::PerPage)}</span>
                <select
                    prop:value=page.page_size.to_string()
                    on:change:target=move |ev| {
                        if let Ok(size) = ev.target().value().parse() {
                            on_size.run(size);
                        }
                    }
                >
                    {sizes.iter().map(|size| view! { <option value=size.to_string()>{*size}</option> }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// One page of a list above its pager: the rows (`children`) when the page has any; otherwise
/// a stale link points past the last page, which is said, and the pager leads back.
#[component]
pub fn PagedList(
    page: Page,
    sizes: &'static [u32],
    has_rows: bool,
    #[prop(into)] href: Callback<u32, String>,
    #[prop(into)] on_size: Callback<u32>,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || has_rows.then(|| children())}
        {(!has_rows).then(|| view! { <div class="panel empty"><p>{i18n.text(Msg::PastTheLastPage)}</p></div> })}
        <Pager page sizes href on_size/>
    }
}
