//! A subscription's phase as customers read it: a coloured pill with its name.

use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::model::CustomerPhase;

/// The phase, in the customer's language.
#[component]
pub fn PhaseBadge(phase: CustomerPhase) -> impl IntoView {
    let class = format!("badge {}", phase.badge_class());
    view! { <span class=class>{use_locale().t(phase.text())}</span> }
}
