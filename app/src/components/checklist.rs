//! An order's setup checklist: each step ticked or unticked with a small form.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::orders::SetStep;
use crate::components::time_text::date_time;
use crate::model::Step;

/// The checklist with its progress; buttons only for operators.
#[component]
pub fn Checklist(subscription_id: String, steps: Vec<Step>, can_work: bool) -> impl IntoView {
    let done = steps.iter().filter(|s| s.done_at_ms.is_some()).count();
    let total = steps.len();
    view! {
        <section aria-labelledby="checklist" class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div class="flex items-baseline justify-between">
                <h2 id="checklist" class="text-sm font-semibold">"Setup checklist"</h2>
                <p class="text-sm text-slate-600">{format!("{done} of {total} done")}</p>
            </div>
            {(total == 0).then(|| view! { <p class="mt-2 text-sm text-slate-500">"This product has no checklist."</p> })}
            <ol class="mt-3 space-y-2">
                {steps.into_iter().map(|step| {
                    let is_done = step.done_at_ms.is_some();
                    let label = if is_done { format!("Undo “{}”", step.title) } else { format!("Mark “{}” done", step.title) };
                    view! {
                        <li class="flex items-start gap-3 rounded-md border border-slate-100 p-2.5">
                            <span aria-hidden="true" class=if is_done { "mt-0.5 text-emerald-600" } else { "mt-0.5 text-slate-300" }>
                                {if is_done { "✔" } else { "○" }}
                            </span>
                            <div class="min-w-0 flex-1">
                                <p class=if is_done { "text-sm font-medium text-slate-500 line-through" } else { "text-sm font-medium" }>{step.title.clone()}</p>
                                <p class="text-xs text-slate-600">{step.description}</p>
                                <p class="text-xs text-slate-500">
                                    {if step.customer_visible { "Customer sees this step" } else { "Internal" }}
                                    {step.done_at_ms.map(|at| format!(" · done {} by {}", date_time(at), step.done_by.clone().unwrap_or_default()))}
                                </p>
                            </div>
                            {can_work.then(|| view! {
                                <form method="post" action=SetStep::url()>
                                    <input type="hidden" name="subscription_id" value=subscription_id.clone() />
                                    <input type="hidden" name="step_id" value=step.id.clone() />
                                    <input type="hidden" name="done" value=if is_done { "false" } else { "true" } />
                                    <button type="submit" aria-label=label class="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50">
                                        {if is_done { "Undo" } else { "Done" }}
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
