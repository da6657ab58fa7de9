//! The overview: how many orders are in each lifecycle state.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::dashboard::get_dashboard;
use crate::components::approvals_chart::ApprovalsChart;
use crate::components::error_view::error_fallback;
use crate::components::state_table::{HIDE_EMPTY, StateTable};
use crate::i18n::{HomeText, Locale, use_locale};
use crate::model::{ApprovalTimes, Dashboard, LifecycleState};

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let hide_empty = move || query.read().get(HIDE_EMPTY).is_some_and(|v| v == "on" || v == "true");
    let dashboard = Resource::new(|| (), |_| get_dashboard());
    let locale = use_locale();

    view! {
        <Title text=locale.t(HomeText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(HomeText::Title)}</h1>
        <p class="mt-1 text-sm text-slate-600">{locale.t(HomeText::Intro)}</p>
        <Suspense fallback=move || view! { <p class="mt-8 text-sm text-slate-500">{locale.t(HomeText::Loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let dashboard = dashboard.await?;
                    Ok::<_, crate::error::AppError>(view! { <Figures dashboard hide_empty=hide_empty() locale /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The summary cards, the table by state, time to approval and approvals per week.
#[component]
fn Figures(dashboard: Dashboard, hide_empty: bool, locale: Locale) -> impl IntoView {
    let counts = dashboard.counts;
    let total: u64 = counts.iter().map(|c| c.count).sum();
    let pending: u64 = counts.iter().filter(|c| c.state == LifecycleState::Pending).map(|c| c.count).sum();
    let card = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
    let plain = ("border-slate-200 bg-white", "text-slate-600", "");
    let overdue = if dashboard.overdue > 0 {
        ("border-red-200 bg-red-50", "text-red-900", "text-red-950")
    } else {
        plain
    };
    let waiting = ("border-amber-200 bg-amber-50", "text-amber-900", "text-amber-950");
    view! {
        <dl class="mt-8 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Tile label=locale.t(HomeText::Total) value=total href="/orders" colours=plain />
            <Tile label=locale.t(HomeText::Waiting) value=pending href="/orders?state=SUBSCRIPTION_PENDING" colours=waiting />
            <Tile label=locale.t(HomeText::DueSoon) value=dashboard.due_soon href="/orders?due_soon=on" colours=plain />
            <Tile label=locale.t(HomeText::Overdue) value=dashboard.overdue href="/orders?overdue=on" colours=overdue />
        </dl>
        <StateTable counts hide_empty locale />
        <div class="mt-8 grid gap-4 lg:grid-cols-3">
            <section aria-labelledby="approval-times" class=card>
                <h2 id="approval-times" class="text-sm font-semibold">{locale.t(HomeText::TimeToApproval)}</h2>
                <dl class="mt-3 space-y-3 text-sm">
                    <Times label=locale.t(HomeText::Last30) times=dashboard.last_30_days locale />
                    <Times label=locale.t(HomeText::Last90) times=dashboard.last_90_days locale />
                </dl>
            </section>
            <section aria-labelledby="per-week" class=format!("{card} lg:col-span-2")>
                <h2 id="per-week" class="text-sm font-semibold">{locale.t(HomeText::PerWeek)}</h2>
                <ApprovalsChart weeks=dashboard.weekly />
            </section>
        </div>
    }
}

/// One figure of the summary, a link to the inbox showing what it counts: the whole card is the
/// link's target, its label the link's name. `colours`: the card's, the label's and the value's.
#[component]
fn Tile(
    label: &'static str,
    value: u64,
    href: &'static str,
    colours: (&'static str, &'static str, &'static str),
) -> impl IntoView {
    let (card, label_colour, value_colour) = colours;
    view! {
        <div class=format!("relative rounded-lg border p-5 shadow-sm hover:border-slate-400 focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-sky-700 {card}")>
            <dt class=format!("text-sm {label_colour}")>
                <a href=href class="after:absolute after:inset-0 hover:underline focus-visible:outline-none">{label}</a>
            </dt>
            <dd class=format!("mt-1 text-3xl font-semibold tabular-nums {value_colour}")>{value}</dd>
        </div>
    }
}

fn hours_text(locale: Locale, hours: f64) -> String {
    let number = |value: f64| {
        let text = format!("{value:.1}");
        if locale == Locale::De { text.replace('.', ",") } else { text }
    };
    if hours >= 48.0 {
        locale.f(HomeText::Days, &[("n", &number(hours / 24.0))])
    } else {
        locale.f(HomeText::Hours, &[("n", &number(hours))])
    }
}

/// Median and 90th percentile for one period.
#[component]
fn Times(label: &'static str, times: Option<ApprovalTimes>, locale: Locale) -> impl IntoView {
    view! {
        <div>
            <dt class="text-slate-600">{label}</dt>
            <dd class="tabular-nums">
                {match times {
                    Some(t) => locale.f(HomeText::Times, &[
                        ("median", &hours_text(locale, t.median_hours)),
                        ("p90", &hours_text(locale, t.p90_hours)),
                        ("orders", &t.orders),
                    ]),
                    None => locale.t(HomeText::NoApprovals).to_string(),
                }}
            </dd>
        </div>
    }
}
