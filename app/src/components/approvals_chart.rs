//! Orders approved per week, as a small server-rendered SVG bar chart with a text equivalent.

use leptos::prelude::*;

use crate::i18n::{HomeText, use_i18n};
use crate::model::WeekCount;

const WIDTH: i64 = 600;
const HEIGHT: i64 = 120;

/// Twelve weekly bars; screen readers get the same figures as a list.
#[component]
pub fn ApprovalsChart(weeks: Vec<WeekCount>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let most = weeks.iter().map(|w| w.approved).max().unwrap_or(0).max(1) as i64;
    let slot = WIDTH / i64::try_from(weeks.len().max(1)).unwrap_or(12);
    let total: u64 = weeks.iter().map(|w| w.approved).sum();
    let label = locale.f(HomeText::ChartLabel, &[("weeks", &weeks.len()), ("total", &total)]);
    view! {
        <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 18) role="img" aria-label=label class="mt-3 h-40 w-full">
            {weeks.iter().enumerate().map(|(i, week)| {
                let height = (week.approved as i64 * (HEIGHT - 4)) / most;
                let x = i64::try_from(i).unwrap_or(0) * slot + 4;
                let day = i18n.clock.day(locale, week.week_start_ms);
                view! {
                    <g>
                        <title>{locale.f(HomeText::ChartWeek, &[("date", &i18n.date(week.week_start_ms)), ("n", &week.approved)])}</title>
                        <rect x=x y=HEIGHT - height width=slot - 8 height=height.max(1) rx="2" class="fill-emerald-500" />
                        <text x=x + (slot - 8) / 2 y=HEIGHT + 14 text-anchor="middle" class="fill-slate-500 text-[10px]">{day}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <ul class="sr-only">
            {weeks.into_iter().map(|w| view! { <li>{locale.f(HomeText::ChartWeek, &[("date", &i18n.date(w.week_start_ms)), ("n", &w.approved)])}</li> }).collect_view()}
        </ul>
    }
}
