//! `/docs/:name`: the customer documentation STACKIT requires, rendered from the vendor's
//! Markdown on the server (see `server/src/docs.rs` for what is allowed through).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::docs::doc_page;
use crate::components::error_view::error_fallback;
use crate::error::AppError;
use crate::i18n::{CustomerText, use_locale};

/// `/docs/:name`
#[component]
pub fn DocsPage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.read().get("name").unwrap_or_default();
    let page = Resource::new(name, doc_page);
    let locale = use_locale();
    let current = name();
    let links = [
        ("onboarding", CustomerText::DocOnboarding),
        ("usage", CustomerText::DocUsage),
        ("marketplace", CustomerText::DocMarketplace),
    ];
    view! {
        <nav aria-label=locale.t(CustomerText::Documentation) class="flex flex-wrap gap-2 text-sm">
            {links.into_iter().map(|(slug, text)| view! {
                <a
                    href=format!("/docs/{slug}")
                    aria-current=(slug == current).then_some("page")
                    class="rounded-md px-3 py-1.5 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
                >
                    {locale.t(text)}
                </a>
            }).collect_view()}
        </nav>
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, AppError>(view! {
                        <Title text=page.title.clone() />
                        <article class="prose-doc mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" inner_html=page.html></article>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
