//! The overview: how many orders are in each lifecycle state.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::get_order_counts;
use crate::components::error_view::error_fallback;
use crate::components::state_badge::StateBadge;
use crate::model::{LifecycleState, StateCount};

/// Query parameter that hides states without orders.
const HIDE_EMPTY: &str = "hide_empty";

/// One row per lifecycle state, in the operators' order. States STACKIT rarely sends
/// (unspecified, unknown) appear only when some order has them.
fn rows(counts: &[StateCount], hide_empty: bool) -> Vec<StateCount> {
    LifecycleState::ALL
        .into_iter()
        .map(|state| {
            let count = counts.iter().filter(|c| c.state == state).map(|c| c.count).sum();
            StateCount { state, count }
        })
        .filter(|row| {
            let rare = matches!(row.state, LifecycleState::Unspecified | LifecycleState::Unknown);
            row.count > 0 || !(hide_empty || rare)
        })
        .collect()
}

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let hide_empty = move || query.read().get(HIDE_EMPTY).is_some_and(|v| v == "on" || v == "true");
    let counts = Resource::new(|| (), |_| get_order_counts());

    view! {
        <Title text="Overview" />
        <div class="flex flex-wrap items-end justify-between gap-4">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">"Overview"</h1>
                <p class="mt-1 text-sm text-slate-600">
                    "Orders from the STACKIT Marketplace, by lifecycle state."
                </p>
            </div>
            <Form method="GET" action="">
                <div class="flex items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm shadow-sm">
                    <label class="flex items-center gap-2">
                        <input
                            type="checkbox"
                            name=HIDE_EMPTY
                            checked=hide_empty
                            class="h-4 w-4 rounded border-slate-300 text-sky-600 focus-visible:outline-2 focus-visible:outline-sky-500"
                        />
                        "Hide states without orders"
                    </label>
                    <button
                        type="submit"
                        class="rounded-md bg-slate-900 px-3 py-1 font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500"
                    >
                        "Apply"
                    </button>
                </div>
            </Form>
        </div>
        <Suspense fallback=|| view! { <p class="mt-8 text-sm text-slate-500">"Loading figures…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let counts = counts.await?;
                    Ok::<_, crate::error::AppError>(view! { <StateTable counts hide_empty=hide_empty() /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The figures: a summary of the total and the pending work, then a table by state.
#[component]
fn StateTable(counts: Vec<StateCount>, hide_empty: bool) -> impl IntoView {
    let total: u64 = counts.iter().map(|c| c.count).sum();
    let pending: u64 = counts.iter().filter(|c| c.state == LifecycleState::Pending).map(|c| c.count).sum();
    let rows = rows(&counts, hide_empty);
    let empty = rows.is_empty();

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
        <section aria-labelledby="by-state" class="mt-8 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
            <h2 id="by-state" class="border-b border-slate-200 px-5 py-3 text-sm font-semibold">"Orders by state"</h2>
            {if empty {
                view! {
                    <p class="px-5 py-8 text-sm text-slate-600">
                        "No orders yet. Orderdesk lists orders here as soon as it has synchronised them from STACKIT's Vendor API."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <table class="w-full text-sm">
                        <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                            <tr>
                                <th scope="col" class="px-5 py-2 font-medium">"State"</th>
                                <th scope="col" class="px-5 py-2 text-right font-medium">"Orders"</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {rows
                                .into_iter()
                                .map(|row| {
                                    view! {
                                        <tr>
                                            <th scope="row" class="px-5 py-2.5 text-left font-normal">
                                                <StateBadge state=row.state />
                                            </th>
                                            <td class="px-5 py-2.5 text-right tabular-nums">{row.count}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_states_are_listed_even_without_orders() {
        let rows = rows(&[], false);
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[0].state, LifecycleState::Pending);
        assert!(rows.iter().all(|r| r.count == 0));
    }

    #[test]
    fn hiding_empty_states_keeps_only_states_with_orders() {
        let counts = [
            StateCount { state: LifecycleState::Active, count: 3 },
            StateCount { state: LifecycleState::Unknown, count: 1 },
        ];
        let rows = rows(&counts, true);
        assert_eq!(
            rows.iter().map(|r| r.state).collect::<Vec<_>>(),
            [LifecycleState::Active, LifecycleState::Unknown]
        );
    }
}
