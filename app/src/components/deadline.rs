//! An order's approval deadline: date, countdown, and a warning colour when it is close or past.

use leptos::prelude::*;

use crate::i18n::{OrderText, use_i18n};
use crate::model::{DUE_SOON_MS, LifecycleState};

/// The deadline of a pending order; a dash for orders that are not pending.
#[component]
pub fn Deadline(
    state: LifecycleState,
    deadline_ms: i64,
    now_ms: i64,
    /// One line: the date only on hover (the inbox's rows).
    #[prop(optional)]
    compact: bool,
) -> impl IntoView {
    if state != LifecycleState::Pending {
        return view! { <span class="text-slate-500">"—"</span> }.into_any();
    }
    let i18n = use_i18n();
    let left = deadline_ms - now_ms;
    let (class, flag) = if left < 0 {
        ("font-medium text-red-700", Some(i18n.t(OrderText::Overdue)))
    } else if left < DUE_SOON_MS {
        ("font-medium text-amber-800", Some(i18n.t(OrderText::DueSoon)))
    } else {
        ("text-slate-700", None)
    };
    let date = i18n.date_time(deadline_ms);
    view! {
        <span class=class title=date.clone()>
            {flag.map(|f| view! { <span class="mr-1 rounded bg-current/10 px-1 text-xs">{f}</span> })}
            {i18n.relative(deadline_ms, now_ms)}
        </span>
        {(!compact).then(|| view! { <span class="subline">{date}</span> })}
    }
    .into_any()
}
