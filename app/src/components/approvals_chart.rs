//! Orders approved per week, as a small server-rendered SVG bar chart with a text equivalent.

use leptos::prelude::*;

use crate::components::time_text::date_time;
use crate::model::WeekCount;

const WIDTH: i64 = 600;
const HEIGHT: i64 = 120;

/// Twelve weekly bars; screen readers get the same figures as a list.
#[component]
pub fn ApprovalsChart(weeks: Vec<WeekCount>) -> impl IntoView {
    let most = weeks.iter().map(|w| w.approved).max().unwrap_or(0).max(1) as i64;
    let slot = WIDTH / i64::try_from(weeks.len().max(1)).unwrap_or(12);
    let total: u64 = weeks.iter().map(|w| w.approved).sum();
    let label = format!("Orders approved per week over the last {} weeks: {total} in all", weeks.len());
    view! {
        <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 18) role="img" aria-label=label class="mt-3 h-40 w-full">
            {weeks.iter().enumerate().map(|(i, week)| {
                let height = (week.approved as i64 * (HEIGHT - 4)) / most;
                let x = i64::try_from(i).unwrap_or(0) * slot + 4;
                let day = date_time(week.week_start_ms).chars().skip(5).take(5).collect::<String>();
                view! {
                    <g>
                        <title>{format!("Week of {}: {} approved", &date_time(week.week_start_ms)[..10], week.approved)}</title>
                        <rect x=x y=HEIGHT - height width=slot - 8 height=height.max(1) rx="2" class="fill-emerald-500" />
                        <text x=x + (slot - 8) / 2 y=HEIGHT + 14 text-anchor="middle" class="fill-slate-500 text-[10px]">{day}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
        <ul class="sr-only">
            {weeks.into_iter().map(|w| view! { <li>{format!("Week of {}: {} approved", &date_time(w.week_start_ms)[..10], w.approved)}</li> }).collect_view()}
        </ul>
    }
}
