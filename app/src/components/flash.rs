//! What an action on an order just did, said once at the top of the order's page (`?done=` in
//! the address the action returns to), with a way to take back a tick. The same message with
//! and without JavaScript: without it the page reloads at the element acted on (the address's
//! fragment); with it `components::in_place` swaps this part in and leaves the page where it was.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::orders::SetStep;
use crate::i18n::{OrderText, use_i18n};
use crate::model::{LifecycleState, OrderDetail};

const MESSAGE: &str = "mt-3 flex flex-wrap items-center gap-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";

/// The message for `done` (and the `step` it was about), if it is one this page knows.
#[component]
pub fn Flash(
    done: Option<String>,
    step: Option<String>,
    order: OrderDetail,
    can_work: bool,
) -> impl IntoView {
    let locale = use_i18n().locale;
    let step = step.and_then(|id| order.steps.iter().find(|s| s.id == id).cloned());
    let assignee = order.row.assignee.clone().unwrap_or_else(|| locale.t(OrderText::Nobody).into());
    let (text, undo) = match (done.as_deref(), step) {
        // While STACKIT has not taken it yet, the decision panel says where it stands.
        (Some("approved"), _) if order.row.state == LifecycleState::Active => {
            (Some(locale.t(OrderText::ApprovedDone).to_string()), None)
        }
        (Some("ticked"), Some(step)) if step.done_at_ms.is_some() => {
            (Some(locale.f(OrderText::StepTicked, &[("step", &step.title)])), can_work.then_some(step))
        }
        (Some("reopened"), Some(step)) if step.done_at_ms.is_none() => {
            (Some(locale.f(OrderText::StepReopened, &[("step", &step.title)])), None)
        }
        (Some("noted"), _) => (Some(locale.t(OrderText::NoteSaved).to_string()), None),
        (Some("assigned"), _) => (Some(locale.f(OrderText::AssigneeSaved, &[("name", &assignee)])), None),
        (Some("contact"), _) => (Some(locale.t(OrderText::ContactSaved).to_string()), None),
        _ => (None, None),
    };
    view! {
        // The status region is always there, so that a message swapped into it is announced.
        <div data-flash="" role="status" tabindex="-1">
            {text.map(|text| view! {
                <div class=MESSAGE>
                    <span>{text}</span>
                    {undo.map(|step| view! {
                        <form method="post" action=SetStep::url()>
                            <input type="hidden" name="subscription_id" value=order.row.subscription_id.clone() />
                            <input type="hidden" name="step_id" value=step.id.clone() />
                            <input type="hidden" name="done" value="false" />
                            <button type="submit" data-undo="" class="rounded border border-emerald-700 px-2 py-0.5 text-xs font-medium hover:bg-emerald-100 focus-visible:outline-2 focus-visible:outline-sky-700"
                                aria-label=locale.f(OrderText::UndoTick, &[("step", &step.title)])>
                                {locale.t(OrderText::Undo)}
                            </button>
                        </form>
                    })}
                </div>
            })}
        </div>
    }
}
