//! Approve and reject on the order page: plain forms behind a confirmation step (a `<details>`
//! disclosure, so it needs no JavaScript). Only shown to operators; the server checks anyway.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::orders::{ApproveOrder, RejectOrder};
use crate::i18n::{OrderText, use_locale};
use crate::model::{DecisionPhase, LifecycleState, OrderDetail};

const BUTTON: &str = "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700";

/// The decision panel for a pending order.
#[component]
pub fn OrderActions(order: OrderDetail) -> impl IntoView {
    if order.row.state != LifecycleState::Pending {
        return ().into_any();
    }
    let locale = use_locale();
    let id = order.row.subscription_id.clone();
    let i18n = crate::i18n::use_i18n();
    let status = order.decision.clone().map(|d| {
        let text = match (d.phase, d.approve) {
            (DecisionPhase::Queued, true) => locale.t(OrderText::ApprovalQueued).to_string(),
            (DecisionPhase::Queued, false) => locale.t(OrderText::RejectionQueued).to_string(),
            (DecisionPhase::Sending, true) => locale.t(OrderText::ApprovalSending).to_string(),
            (DecisionPhase::Sending, false) => locale.t(OrderText::RejectionSending).to_string(),
            (DecisionPhase::Retrying, approve) => {
                let when = d.next_attempt_ms.map(|at| i18n.relative(at, order.now_ms)).unwrap_or_default();
                let key = if approve { OrderText::ApprovalRetrying } else { OrderText::RejectionRetrying };
                locale.f(
                    key,
                    &[
                        ("error", &d.last_error.unwrap_or_default()),
                        ("attempt", &(d.attempts + 1)),
                        ("when", &when),
                    ],
                )
            }
        };
        view! { <p role="status" class="mt-2 text-sm text-slate-700">{text}</p> }
    });
    let busy = status.is_some() || order.decision_state.is_some_and(|s| s.is_under_way());
    // Approving tells STACKIT the setup is done: with steps still open, the form says how many
    // and wants a tick to confirm (a required checkbox, so it asks without JavaScript too).
    let total = order.steps.len();
    let open = order.steps.iter().filter(|s| s.done_at_ms.is_none()).count();
    view! {
        <section aria-labelledby="decision" class="rounded-lg border border-emerald-200 bg-emerald-50/50 p-4">
            <h2 id="decision" class="text-sm font-semibold">{locale.t(OrderText::Decision)}</h2>
            {match status {
                Some(status) => status.into_any(),
                None => busy.then(|| view! { <p role="status" class="mt-2 text-sm text-slate-700">{locale.t(OrderText::Deciding)}</p> }).into_any(),
            }}
            <details class="mt-3">
                <summary class=format!("{BUTTON} inline-block cursor-pointer bg-emerald-700 text-white hover:bg-emerald-600")>{locale.t(OrderText::Approve)}</summary>
                <form method="post" action=ApproveOrder::url() class="mt-3 space-y-2">
                    <input type="hidden" name="subscription_id" value=id.clone() />
                    <label for="instance_url" class="block text-sm text-slate-700">{locale.t(OrderText::InstanceUrl)}</label>
                    <input id="instance_url" name="instance_url" type="url" placeholder="https://customer.your-product.example" class="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm" />
                    <p class="text-xs text-slate-600">{locale.t(OrderText::ApproveNote)}</p>
                    {(open > 0).then(|| view! {
                        <p id="open-steps" class="rounded-md border border-amber-300 bg-amber-50 px-2.5 py-1.5 text-sm text-amber-900">
                            {locale.f(OrderText::StepsStillOpen, &[("open", &open), ("total", &total)])}
                        </p>
                        <label class="flex items-center gap-2 text-sm">
                            <input type="checkbox" name="open_steps_confirmed" required=true aria-describedby="open-steps" class="h-4 w-4 rounded border-slate-300" />
                            {locale.t(OrderText::ApproveAnyway)}
                        </label>
                    })}
                    <button type="submit" class=format!("{BUTTON} bg-emerald-700 text-white hover:bg-emerald-600")>{locale.t(OrderText::ConfirmApproval)}</button>
                </form>
            </details>
            {order.product_is_preview.then(|| view! {
                <details class="mt-3">
                    <summary class=format!("{BUTTON} inline-block cursor-pointer border border-rose-300 bg-white text-rose-800 hover:bg-rose-50")>{locale.t(OrderText::Reject)}</summary>
                    <form method="post" action=RejectOrder::url() class="mt-3 space-y-2">
                        <input type="hidden" name="subscription_id" value=id.clone() />
                        <label for="reason" class="block text-sm text-slate-700">{locale.t(OrderText::Reason)}</label>
                        <textarea id="reason" name="reason" required=true rows="2" class="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm"></textarea>
                        <button type="submit" class=format!("{BUTTON} bg-rose-700 text-white hover:bg-rose-600")>{locale.t(OrderText::ConfirmRejection)}</button>
                    </form>
                </details>
            })}
        </section>
    }
    .into_any()
}
