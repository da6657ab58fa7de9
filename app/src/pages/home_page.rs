//! The overview: how many orders are in each lifecycle state.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::get_order_counts;
use crate::components::error_view::error_fallback;
use crate::components::state_table::{HIDE_EMPTY, StateTable};
use crate::model::{LifecycleState, StateCount};

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let hide_empty = move || query.read().get(HIDE_EMPTY).is_some_and(|v| v == "on" || v == "true");
    let counts = Resource::new(|| (), |_| get_order_counts());

    view! {
        <Title text="Overview" />
        <h1 class="text-2xl font-semibold tracking-tight">"Overview"</h1>
        <p class="mt-1 text-sm text-slate-600">"Orders from the STACKIT Marketplace, by lifecycle state."</p>
        <Suspense fallback=|| view! { <p class="mt-8 text-sm text-slate-500">"Loading figures…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let counts = counts.await?;
                    Ok::<_, crate::error::AppError>(view! { <Figures counts hide_empty=hide_empty() /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The summary of the total and the pending work, then the table by state.
#[component]
fn Figures(counts: Vec<StateCount>, hide_empty: bool) -> impl IntoView {
    let total: u64 = counts.iter().map(|c| c.count).sum();
    let pending: u64 = counts.iter().filter(|c| c.state == LifecycleState::Pending).map(|c| c.count).sum();
    view! {
        <dl class="mt-8 grid gap-4 sm:grid-cols-2">
            <div class="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
                <dt class="text-sm text-slate-600">"Orders in total"</dt>
                <dd class="mt-1 text-3xl font-semibold tabular-nums">{total}</dd>
            </div>
            <div class="rounded-lg border border-amber-200 bg-amber-50 p-5 shadow-sm">
                <dt class="text-sm text-amber-900">"Waiting for setup and approval"</dt>
                <dd class="mt-1 text-3xl font-semibold tabular-nums text-amber-950">{pending}</dd>
            </div>
        </dl>
        <StateTable counts hide_empty />
    }
}
