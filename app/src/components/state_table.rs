//! The table of orders per lifecycle state, with its filter.

use leptos::prelude::*;

use crate::components::state_badge::StateBadge;
use crate::i18n::{Locale, StateTableText};
use crate::model::{LifecycleState, StateCount};

/// Query parameter that hides states without orders.
pub const HIDE_EMPTY: &str = "hide_empty";

/// One row per lifecycle state, in the operators' order. States STACKIT rarely sends
/// (unspecified, unknown) appear only when some order has them.
pub fn rows(counts: &[StateCount], hide_empty: bool) -> Vec<StateCount> {
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

/// The table as an island, in `locale`. Without JavaScript the filter is a GET form; in the browser the
/// checkbox filters at once and keeps the address in step, without a page load.
#[island]
pub fn StateTable(counts: Vec<StateCount>, hide_empty: bool, locale: Locale) -> impl IntoView {
    provide_context(locale);
    let hide = RwSignal::new(hide_empty);
    let on_change = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        hide.set(checked);
        remember_in_address(checked);
    };
    let table = move || {
        let rows = rows(&counts, hide.get());
        if rows.is_empty() {
            return view! {
                <p class="px-5 py-8 text-sm text-slate-600">
                    {locale.t(StateTableText::Empty)}
                </p>
            }
            .into_any();
        }
        view! {
            <table class="w-full text-sm">
                <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="px-5 py-2 font-medium">{locale.t(StateTableText::State)}</th>
                        <th scope="col" class="px-5 py-2 text-right font-medium">{locale.t(StateTableText::Orders)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row" class="px-5 py-2.5 text-left font-normal">
                                        <a
                                            href=format!("/orders?state={}", row.state.as_wire())
                                            class="rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
                                        >
                                            <StateBadge state=row.state />
                                        </a>
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
    };

    view! {
        <section aria-labelledby="by-state" class="mt-8 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
            <div class="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
                <h2 id="by-state" class="text-sm font-semibold">{locale.t(StateTableText::Heading)}</h2>
                <form method="get" class="flex items-center gap-3 text-sm" on:submit=|event| event.prevent_default()>
                    <label class="flex items-center gap-2">
                        <input
                            type="checkbox"
                            name=HIDE_EMPTY
                            prop:checked=move || hide.get()
                            checked=hide_empty
                            on:change=on_change
                            class="h-4 w-4 rounded border-slate-300 text-sky-600 focus-visible:outline-2 focus-visible:outline-sky-700"
                        />
                        {locale.t(StateTableText::HideEmpty)}
                    </label>
                    <button
                        type="submit"
                        class="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
                    >
                        {locale.t(StateTableText::Apply)}
                    </button>
                </form>
            </div>
            {table}
        </section>
    }
}

/// Keeps `?hide_empty=on` in the address bar in step with the checkbox, so a copied link
/// shows the same view; replaces the history entry rather than adding one.
fn remember_in_address(hide_empty: bool) {
    #[cfg(feature = "hydrate")]
    {
        let window = window();
        let path = window.location().pathname().unwrap_or_else(|_| "/".into());
        let url = if hide_empty { format!("{path}?{HIDE_EMPTY}=on") } else { path };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = hide_empty;
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
