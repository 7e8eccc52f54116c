//! A product's OTA modules: the default one and up to ten of its own, each updated by its own
//! packages. Listed, added, changed (alias and description; a name is fixed) and deleted (the
//! backend refuses while packages of it exist, and the reason is shown). The product is in
//! the query string (`product`), so the page can be linked.

use leptos::html::Dialog;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use ota_model::module::{DEFAULT_MODULE, MAX_CUSTOM_MODULES, ModuleForm, OtaModule};

use crate::api::{self, ApiError};
use crate::components::{Ask, ConfirmDialog, ErrorPanel, FormProblems, Loaded, Show, TextField, modal_while};
use crate::format;
use crate::i18n::{FormMsg, Msg, use_i18n};
use crate::lifetime;
use crate::nav::{self, use_environment, use_site};
use crate::resource::resource;

#[component]
pub fn ModuleList() -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let site = use_site();
    let query = use_query_map();
    let navigate = use_navigate();
    let products = resource(move || {
        let env = env.get();
        async move { api::products(&env).await }
    });
    // The product asked for, else the first one.
    let product = Memo::new(move |_| {
        let asked = query.read().get("product").unwrap_or_default();
        if !asked.is_empty() {
            return asked;
        }
        products
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.first().map(|p| p.product_key.clone()))
            .unwrap_or_default()
    });
    let revision = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<OtaModule>);
    let ask = RwSignal::new(None::<Ask>);
    // A delete asked from a row is answered in the page's scope: the list may be read again meanwhile.
    let scope = lifetime::Scope::here();
    let modules = resource(move || {
        let (env, product) = (env.get(), product.get());
        revision.track();
        async move { if product.is_empty() { Ok(Vec::new()) } else { api::modules(&env, &product).await } }
    });
    let full = Signal::derive(move || {
        let custom = |list: &Vec<OtaModule>| list.iter().filter(|m| m.module_name != DEFAULT_MODULE).count();
        modules.get().and_then(Result::ok).is_some_and(|list| custom(&list) >= MAX_CUSTOM_MODULES)
    });
    let choose = move |key: String| {
        let href = site.href(&env.get_untracked(), "/modules", &[("product", key)]);
        navigate(&href, nav::to_href(true));
    };
    let product_options = move || {
        products.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
            let selected = product.with(|k| *k == p.product_key);
            view! { <option value=p.product_key.clone() selected=selected>{format!("{} ({})", p.product_name, p.product_key)}</option> }
        }).collect_view()
    };
    let table = move || {
        Suspend::new(async move {
            match modules.await {
                Ok(list) => {
                    let rows = list
                        .into_iter()
                        .map(
                            |module| view! { <ModuleRow module product=product.get_untracked() revision editing ask scope/> },
                        )
                        .collect_view();
                    view! {
                        <div class="table-scroll">
                            <table class="modules">
                                <thead><tr>
                                    <th scope="col">{i18n.text(FormMsg::ModuleNameLabel)}</th>
                                    <th scope="col">{i18n.text(FormMsg::AliasLabel)}</th>
                                    <th scope="col">{i18n.text(FormMsg::DescriptionLabel)}</th>
                                    <th scope="col">{i18n.text(FormMsg::ChangedColumn)}</th>
                                    <th scope="col">{i18n.text(Msg::ColumnActions)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                }
                Err(error) => view! { <ErrorPanel error retry=move || modules.refetch()/> }.into_any(),
            }
        })
    };
    view! {
        <section class="module-list">
            <header class="page-header">
                <h1>{i18n.text(FormMsg::Modules)}</h1>
                <p class="intro">{i18n.text(FormMsg::ModulesIntro)}</p>
            </header>
            <div class="toolbar">
                <label for="module-product">{i18n.text(FormMsg::ProductLabel)}</label>
                <select id="module-product" prop:value=move || product.get()
                    on:change:target=move |ev| choose(ev.target().value())>{product_options}</select>
            </div>
            {move || match products.get() {
                Some(Err(error)) => view! { <ErrorPanel error retry=move || products.refetch()/> }.into_any(),
                _ => ().into_any(),
            }}
            <Loaded view=table/>
            // Outside the list, so that what is typed here survives the list being read again.
            {move || {
                let product = product.get();
                (!product.is_empty()).then(|| view! { <AddModule product full revision/> })
            }}
            <EditModule editing product revision/>
            <ConfirmDialog ask/>
        </section>
    }
}

/// One module, with its actions (none for the default module, which is the whole firmware).
#[component]
fn ModuleRow(
    module: OtaModule,
    product: String,
    revision: RwSignal<u32>,
    editing: RwSignal<Option<OtaModule>>,
    ask: RwSignal<Option<Ask>>,
    scope: lifetime::Scope,
) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let is_default = module.module_name == DEFAULT_MODULE;
    let failure = RwSignal::new(None::<ApiError>);
    let name = module.module_name.clone();
    let delete = {
        let (product, name) = (product.clone(), name.clone());
        move |_| {
            // Read now: the row may be made anew before the answer.
            let env = env.get_untracked();
            let on_confirm = {
                let (product, name) = (product.clone(), name.clone());
                move || {
                    let (product, name, env) = (product.clone(), name.clone(), env.clone());
                    scope.spawn(async move {
                        match api::delete_module(&env, &product, &name).await {
                            Ok(()) => revision.update(|r| *r += 1),
                            Err(error) => failure.set(Some(error)),
                        }
                    });
                }
            };
            let message = i18n.fill(FormMsg::AskDeleteModule, &[("name", &name)]);
            ask.set(Some(Ask::new(message, Msg::Delete, on_confirm)));
        }
    };
    let actions = (!is_default).then(|| {
        let edit_label = i18n.fill(FormMsg::EditModuleNamed, &[("name", &name)]);
        let delete_label = i18n.fill(FormMsg::DeleteModuleNamed, &[("name", &name)]);
        let module = module.clone();
        view! {
            <button type="button" class="link" aria-label=edit_label on:click=move |_| editing.set(Some(module.clone()))>
                {i18n.text(FormMsg::Edit)}
            </button>
            <button type="button" class="link" aria-label=delete_label on:click=delete>{i18n.text(Msg::Delete)}</button>
        }
    });
    view! {
        <tr data-module=name.clone()>
            <td>{name.clone()}</td>
            <td>{module.alias_name.clone().unwrap_or_default()}</td>
            <td>{module.desc.clone().unwrap_or_default()}</td>
            <td>{move || format::local_time(module.gmt_modified)}</td>
            <td class="actions">
                {actions}
                {move || failure.get().map(|error| view! { <p class="error" role="alert">{error.detail()}</p> })}
            </td>
        </tr>
    }
}

/// The one dialog for changing a module's alias and description, open while `editing` is set.
#[component]
fn EditModule(editing: RwSignal<Option<OtaModule>>, product: Memo<String>, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let dialog = NodeRef::<Dialog>::new();
    let form = RwSignal::new(ModuleForm::default());
    let found = Memo::new(move |_| form.with(|f| product.with(|p| f.update(p).err().unwrap_or_default())));
    let problems = FormProblems::new(found.into());
    let busy = RwSignal::new(false);
    modal_while(dialog, editing, move |module| {
        form.set(ModuleForm::of(&module));
        problems.reset();
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !problems.submit() {
            return;
        }
        let Ok(request) = form.with_untracked(|f| product.with_untracked(|p| f.update(p))) else { return };
        let env = env.get_untracked();
        busy.set(true);
        lifetime::spawn(async move {
            let outcome = api::update_module(&env, &request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    editing.set(None);
                    revision.update(|r| *r += 1);
                }
                Err(error) => problems.refusal.set(Some(error)),
            }
        });
    };
    let label = move |msg: FormMsg| Signal::derive(move || i18n.t(msg).to_owned());
    view! {
        <dialog node_ref=dialog class="confirm" aria-labelledby="edit-module-title" on:close=move |_| editing.set(None)>
            <form on:submit=save novalidate>
                <h2 id="edit-module-title">
                    {i18n.text(FormMsg::EditModule)} " " {move || form.with(|f| f.module_name.clone())}
                </h2>
                <div class="form-grid">
                    <TextField id="edit-module-alias" param="AliasName" label=label(FormMsg::AliasLabel)
                        value=Signal::derive(move || form.with(|f| f.alias_name.clone()))
                        set=move |v: String| form.update(|f| f.alias_name = v) problems/>
                    <TextField id="edit-module-desc" param="Desc" label=label(FormMsg::DescriptionLabel) multiline=true
                        value=Signal::derive(move || form.with(|f| f.desc.clone()))
                        set=move |v: String| form.update(|f| f.desc = v) problems/>
                </div>
                {move || problems.refusal.get().map(|error| view! { <p class="error" role="alert">{error.detail()}</p> })}
                <div class="actions">
                    <button type="button" on:click=move |_| editing.set(None)>{i18n.text(Msg::KeepAsIs)}</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>{i18n.text(Msg::SaveChanges)}</button>
                </div>
            </form>
        </dialog>
    }
}

/// A form under the list for a new module; closed once the product has ten of its own.
#[component]
fn AddModule(product: String, full: Signal<bool>, revision: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let env = use_environment();
    let product = StoredValue::new(product);
    let form = RwSignal::new(ModuleForm::default());
    let found = Memo::new(move |_| form.with(|f| product.with_value(|p| f.create(p).err().unwrap_or_default())));
    let problems = FormProblems::new(found.into());
    let busy = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() || !problems.submit() {
            return;
        }
        let Ok(request) = form.with_untracked(|f| product.with_value(|p| f.create(p))) else { return };
        let env = env.get_untracked();
        busy.set(true);
        lifetime::spawn(async move {
            let outcome = api::create_module(&env, &request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    form.set(ModuleForm::default());
                    problems.reset();
                    revision.update(|r| *r += 1);
                }
                Err(error) => problems.refusal.set(Some(error)),
            }
        });
    };
    let label = move |msg: FormMsg| Signal::derive(move || i18n.t(msg).to_owned());
    let text = move |get: fn(&ModuleForm) -> &String| Signal::derive(move || form.with(|f| get(f).clone()));
    let general = move || {
        problems.refusal.with(|r| {
            r.as_ref().filter(|r| !matches!(r.param(), Some("ModuleName" | "AliasName" | "Desc"))).map(ApiError::detail)
        })
    };
    let full_text = move || i18n.fill(FormMsg::ModulesFull, &[("max", &MAX_CUSTOM_MODULES.to_string())]);
    view! {
        <Show when=move || full.get()>
            <p class="hint">{full_text}</p>
        </Show>
        <form class="create-form add-module" on:submit=add novalidate hidden=move || full.get()>
            <h2>{i18n.text(FormMsg::AddModule)}</h2>
            <div class="form-grid">
                <TextField id="module-name" param="ModuleName" label=label(FormMsg::ModuleNameLabel)
                    value=text(|f| &f.module_name) set=move |v: String| form.update(|f| f.module_name = v) problems
                    hint=label(FormMsg::ModuleNameHint)/>
                <TextField id="module-alias" param="AliasName" label=label(FormMsg::AliasLabel)
                    value=text(|f| &f.alias_name) set=move |v: String| form.update(|f| f.alias_name = v) problems/>
                <TextField id="module-desc" param="Desc" label=label(FormMsg::DescriptionLabel) multiline=true
                    value=text(|f| &f.desc) set=move |v: String| form.update(|f| f.desc = v) problems/>
            </div>
            {move || general().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            <div class="actions">
                <button type="submit" class="primary" disabled=move || busy.get()>{i18n.text(FormMsg::AddModule)}</button>
            </div>
        </form>
    }
}
