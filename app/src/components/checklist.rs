//! An order's setup checklist: each step ticked or unticked with a small form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::orders::SetStep;
use crate::i18n::{OrderText, use_i18n};
use crate::model::Step;

/// The checklist with its progress; buttons only for operators.
#[component]
pub fn Checklist(subscription_id: String, steps: Vec<Step>, can_work: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let done = steps.iter().filter(|s| s.done_at_ms.is_some()).count();
    let total = steps.len();
    view! {
        <section aria-labelledby="checklist" class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div class="flex items-baseline justify-between">
                <h2 id="checklist" class="text-sm font-semibold">{locale.t(OrderText::Checklist)}</h2>
                <p class="text-sm text-slate-600">{locale.f(OrderText::ChecklistProgress, &[("done", &done), ("total", &total)])}</p>
            </div>
            {(total == 0).then(|| view! { <p class="mt-2 text-sm text-slate-500">{locale.t(OrderText::NoChecklist)}</p> })}
            <ol class="mt-3 space-y-2">
                {steps.into_iter().map(|step| {
                    let is_done = step.done_at_ms.is_some();
                    let label = locale.f(if is_done { OrderText::UndoStep } else { OrderText::MarkStep }, &[("step", &step.title)]);
                    let done_by = step.done_at_ms.map(|at| {
                        locale.f(OrderText::DoneBy, &[("at", &i18n.date_time(at)), ("name", &step.done_by.clone().unwrap_or_default())])
                    });
                    view! {
                        <li id=format!("step-{}", step.id) class="flex items-start gap-3 rounded-md border border-slate-100 p-2.5">
                            <span aria-hidden="true" class=if is_done { "mt-0.5 text-emerald-600" } else { "mt-0.5 text-slate-300" }>
                                {if is_done { "✔" } else { "○" }}
                            </span>
                            <div class="min-w-0 flex-1">
                                <p class=if is_done { "text-sm font-medium text-slate-500 line-through" } else { "text-sm font-medium" }>{step.title.clone()}</p>
                                <p class="text-xs text-slate-600">{step.description}</p>
                                <p class="text-xs text-slate-500">
                                    {locale.t(if step.customer_visible { OrderText::CustomerSees } else { OrderText::Internal })}
                                    {done_by}
                                </p>
                            </div>
                            {can_work.then(|| view! {
                                <form method="post" action=SetStep::url()>
                                    <input type="hidden" name="subscription_id" value=subscription_id.clone() />
                                    <input type="hidden" name="step_id" value=step.id.clone() />
                                    <input type="hidden" name="done" value=if is_done { "false" } else { "true" } />
                                    <button type="submit" aria-label=label data-shortcut=(!is_done).then_some("tick") class="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50">
                                        {locale.t(if is_done { OrderText::Undo } else { OrderText::Done })}
                                    </button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
