//! The badge that shows a lifecycle state: one colour per state, and always its name as text.

use leptos::prelude::*;

use crate::i18n::use_locale;
use crate::model::LifecycleState;

/// A lifecycle state as a coloured pill with its name in the viewer's language.
#[component]
pub fn StateBadge(state: LifecycleState) -> impl IntoView {
    let class = format!("badge {}", state.badge_class());
    view! { <span class=class>{use_locale().t(state.text())}</span> }
}
