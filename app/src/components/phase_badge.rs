//! A subscription's phase as customers read it: a coloured pill with its name.

use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::model::CustomerPhase;

/// The phase, in the customer's language.
#[component]
pub fn PhaseBadge(phase: CustomerPhase) -> impl IntoView {
    let class = format!(
        "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {}",
        phase.badge_class()
    );
    view! { <span class=class>{use_locale().t(phase.text())}</span> }
}
