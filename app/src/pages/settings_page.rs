//! `/settings`: the STACKIT connection (shown, never its secrets), and the products with their
//! approval windows and setup checklist templates (admins only).

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::settings::{
    AddTemplateStep, MoveTemplateStep, RemoveTemplateStep, SaveProduct, SetCarryOver, SetStepWording,
    get_settings,
};
use crate::components::error_view::error_fallback;
use crate::i18n::{Locale, SettingsText, use_locale};
use crate::model::{CustomerWording, ProductSettings};

const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";
const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
const BUTTON: &str =
    "whitespace-nowrap rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700";
const SMALL: &str =
    "whitespace-nowrap rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50";

/// `/settings`
#[component]
pub fn SettingsPage() -> impl IntoView {
    let query = use_query_map();
    let settings = Resource::new(|| (), |_| get_settings());
    let locale = use_locale();
    let error = move || {
        let query = query.read();
        query.get("error").map(|_| {
            let wording = query.get("field").is_some_and(|f| f.starts_with("customer_"));
            locale.t(if wording { SettingsText::WordingNotSaved } else { SettingsText::NotSaved })
        })
    };
    view! {
        <Title text=locale.t(SettingsText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(SettingsText::Title)}</h1>
        <p class="mt-1 flex flex-wrap gap-4 text-sm">
            <a href="/settings/check" class="text-sky-800 underline">{locale.t(crate::i18n::CheckText::Title)}</a>
            <a href="/api-tokens" class="text-sky-800 underline">{locale.t(crate::i18n::Layout::ApiTokens)}</a>
        </p>
        {move || error().map(|text| view! { <p role="alert" class="mt-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p> })}
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let settings = settings.await?;
                    let stackit = settings.stackit;
                    Ok::<_, crate::error::AppError>(view! {
                        <section aria-labelledby="stackit" class=format!("{CARD} mt-6")>
                            <h2 id="stackit" class="text-sm font-semibold">{locale.t(SettingsText::Connection)}</h2>
                            <dl class="mt-2 grid gap-2 text-sm sm:grid-cols-2">
                                <div><dt class="text-xs text-slate-500">{locale.t(SettingsText::VendorProject)}</dt><dd class="font-mono">{stackit.vendor_project_id.unwrap_or_else(|| locale.t(SettingsText::NotSet).into())}</dd></div>
                                <div><dt class="text-xs text-slate-500">{locale.t(SettingsText::Credentials)}</dt><dd>{stackit.credentials}</dd></div>
                                <div><dt class="text-xs text-slate-500">{locale.t(SettingsText::MarketplaceApi)}</dt><dd class="break-all">{stackit.api_url}</dd></div>
                                <div><dt class="text-xs text-slate-500">{locale.t(SettingsText::TokenKeys)}</dt><dd class="break-all">{stackit.redirect_keys_url}</dd></div>
                            </dl>
                            <p class="mt-2 text-xs text-slate-500">{locale.t(SettingsText::FromConfiguration)}</p>
                        </section>
                        <h2 class="mt-8 text-lg font-semibold">{locale.t(SettingsText::Products)}</h2>
                        <p class="text-sm text-slate-600">{locale.t(SettingsText::ProductsIntro)}</p>
                        {settings.products.into_iter().map(|p| view! { <ProductCard product=p locale /> }).collect_view()}
                        <form method="post" action=SaveProduct::url() class=format!("{CARD} mt-6 grid gap-3 sm:grid-cols-4")>
                            <h3 class="text-sm font-semibold sm:col-span-4">{locale.t(SettingsText::AddProduct)}</h3>
                            <div><label for="new-product-id" class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::ProductId)}</label><input id="new-product-id" name="product_id" required=true placeholder="myproduct-1a2b3c4d" class=FIELD /></div>
                            <div><label for="new-product-name" class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::DisplayName)}</label><input id="new-product-name" name="name" required=true class=FIELD /></div>
                            <div><label for="new-product-window" class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::Window)}</label><input id="new-product-window" name="window_days" type="number" min="1" max="30" value="30" class=FIELD /></div>
                            <div class="flex items-end"><button type="submit" class=BUTTON>{locale.t(SettingsText::AddProductButton)}</button></div>
                        </form>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// One product: its name and window, and its checklist template.
#[component]
fn ProductCard(product: ProductSettings, locale: Locale) -> impl IntoView {
    let id = product.product_id.clone();
    let count = product.steps.len();
    view! {
        <section aria-label=product.display_name.clone() class=format!("{CARD} mt-4")>
            <form method="post" action=SaveProduct::url() class="grid gap-3 sm:grid-cols-4">
                <input type="hidden" name="product_id" value=id.clone() />
                <div class="sm:col-span-2">
                    <label for=format!("name-{id}") class="block text-xs font-medium text-slate-600">{locale.f(SettingsText::NameOf, &[("id", &product.product_id)])}</label>
                    <input id=format!("name-{id}") name="name" required=true value=product.display_name.clone() class=FIELD />
                </div>
                <div>
                    <label for=format!("window-{id}") class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::Window)}</label>
                    <input id=format!("window-{id}") name="window_days" type="number" min="1" max="30" value=product.approval_window_days class=FIELD />
                </div>
                <div class="flex items-end"><button type="submit" class=BUTTON>{locale.t(SettingsText::SaveProduct)}</button></div>
            </form>
            <h3 class="mt-4 text-sm font-semibold">{locale.t(SettingsText::Template)}</h3>
            <ol class="mt-2 space-y-1.5">
                {product.steps.into_iter().enumerate().map(|(i, step)| {
                    let hidden = |name: &'static str, value: String| view! { <input type="hidden" name=name value=value /> };
                    view! {
                        <li class="flex items-start gap-3 rounded-md border border-slate-100 p-2 text-sm">
                            <div class="min-w-0 flex-1">
                                <p class="font-medium">{step.title.clone()}</p>
                                <p class="text-xs text-slate-500 font-mono">{locale.f(SettingsText::StepKey, &[("key", &step.key)])}</p>
                                <p class="text-xs text-slate-600">{step.description.clone()}</p>
                                <p class="text-xs text-slate-500">{locale.t(if step.customer_visible { SettingsText::CustomerSees } else { SettingsText::Internal })}
                                    {step.carry_over.then(|| view! { " · "{locale.t(SettingsText::CarriedOver)} })}</p>
                                {step.customer_visible.then(|| view! {
                                    <p class="text-xs text-slate-600">{locale.f(SettingsText::CustomerReads, &[("en", &step.customer.en.title), ("de", &step.customer.de.title)])}</p>
                                })}
                                <details class="mt-1">
                                    <summary class="cursor-pointer text-xs text-sky-800 underline">{locale.f(SettingsText::WordingOf, &[("step", &step.title)])}</summary>
                                    <form method="post" action=SetStepWording::url() class="mt-2 grid gap-2 sm:grid-cols-2">
                                        {hidden("product_id", id.clone())}{hidden("step_id", step.id.clone())}
                                        <WordingFields prefix=format!("wording-{}", step.id) wording=step.customer.clone() locale />
                                        <div><button type="submit" class=BUTTON>{locale.t(SettingsText::SaveWording)}</button></div>
                                    </form>
                                </details>
                            </div>
                            <form method="post" action=SetCarryOver::url()>
                                {hidden("product_id", id.clone())}{hidden("step_id", step.id.clone())}{hidden("on", (!step.carry_over).to_string())}
                                <button type="submit" class=SMALL aria-label=locale.f(if step.carry_over { SettingsText::StopCarrying } else { SettingsText::CarryOver }, &[("step", &step.title)])>
                                    {locale.t(if step.carry_over { SettingsText::StopCarryingShort } else { SettingsText::CarryOverShort })}
                                </button>
                            </form>
                            {(i > 0).then(|| view! {
                                <form method="post" action=MoveTemplateStep::url()>
                                    {hidden("product_id", id.clone())}{hidden("step_id", step.id.clone())}{hidden("up", "true".into())}
                                    <button type="submit" class=SMALL aria-label=locale.f(SettingsText::MoveUp, &[("step", &step.title)])>"↑"</button>
                                </form>
                            })}
                            {(i + 1 < count).then(|| view! {
                                <form method="post" action=MoveTemplateStep::url()>
                                    {hidden("product_id", id.clone())}{hidden("step_id", step.id.clone())}{hidden("up", "false".into())}
                                    <button type="submit" class=SMALL aria-label=locale.f(SettingsText::MoveDown, &[("step", &step.title)])>"↓"</button>
                                </form>
                            })}
                            <form method="post" action=RemoveTemplateStep::url()>
                                {hidden("product_id", id.clone())}{hidden("step_id", step.id.clone())}
                                <button type="submit" class=SMALL aria-label=locale.f(SettingsText::RemoveStep, &[("step", &step.title)])>{locale.t(SettingsText::Remove)}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <form method="post" action=AddTemplateStep::url() class="mt-3 grid gap-2 sm:grid-cols-6">
                <input type="hidden" name="product_id" value=id.clone() />
                <div class="sm:col-span-2"><label for=format!("step-title-{id}") class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::NewStep)}</label><input id=format!("step-title-{id}") name="title" required=true class=FIELD /></div>
                <div class="sm:col-span-2"><label for=format!("step-description-{id}") class="block text-xs font-medium text-slate-600">{locale.t(SettingsText::Description)}</label><input id=format!("step-description-{id}") name="description" class=FIELD /></div>
                <div class="flex items-end"><button type="submit" class=BUTTON>{locale.t(SettingsText::AddStep)}</button></div>
                <fieldset class="grid gap-2 sm:col-span-6 sm:grid-cols-2">
                    <legend class="text-xs font-semibold text-slate-700">{locale.t(SettingsText::Wording)}</legend>
                    <p class="text-xs text-slate-600 sm:col-span-2">{locale.t(SettingsText::InternalWhenEmpty)}</p>
                    <WordingFields prefix=format!("wording-new-{id}") wording=CustomerWording::default() locale />
                </fieldset>
            </form>
        </section>
    }
}

/// The four fields of what a customer reads of a step, with a hint that the step's own title
/// stays internal.
#[component]
fn WordingFields(prefix: String, wording: CustomerWording, locale: Locale) -> impl IntoView {
    let hint = format!("{prefix}-hint");
    let field = |name: &'static str, label: SettingsText, value: String| {
        let id = format!("{prefix}-{name}");
        view! {
            <div>
                <label for=id.clone() class="block text-xs font-medium text-slate-600">{locale.t(label)}</label>
                <input id=id name=name value=value aria-describedby=hint.clone() class=FIELD />
            </div>
        }
    };
    view! {
        <p id=hint.clone() class="text-xs text-slate-600 sm:col-span-2">{locale.t(SettingsText::WordingHint)}</p>
        {field("customer_title_en", SettingsText::TitleEn, wording.en.title)}
        {field("customer_title_de", SettingsText::TitleDe, wording.de.title)}
        {field("customer_description_en", SettingsText::DescriptionEn, wording.en.description)}
        {field("customer_description_de", SettingsText::DescriptionDe, wording.de.description)}
    }
}
