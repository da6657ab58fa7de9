//! `/audit`: what happened to orders and who did it, across all orders (admins only).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::audit_log;
use crate::components::error_view::error_fallback;
use crate::i18n::{AuditText, use_i18n};
use crate::model::{AuditFilter, EventKind};
use crate::url::urlencode;

/// The kinds of events, for the action filter: (kind, label).
const ACTIONS: &[(EventKind, AuditText)] = &[
    (EventKind::OrderCreated, AuditText::OrderReceived),
    (EventKind::StateChanged, AuditText::StateChanged),
    (EventKind::OrderApproved, AuditText::Approved),
    (EventKind::OrderRejected, AuditText::Rejected),
    (EventKind::DecisionFailed, AuditText::DecisionFailed),
    (EventKind::StepDone, AuditText::StepTicked),
    (EventKind::StepUndone, AuditText::StepUnticked),
    (EventKind::NoteAdded, AuditText::NoteAdded),
    (EventKind::ContactChanged, AuditText::ContactSet),
    (EventKind::OrderAssigned, AuditText::Assignment),
];

/// `/audit`
#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let filter = move || {
        let params = params.read();
        AuditFilter {
            operator: params.get("operator"),
            order: params.get("order"),
            action: params.get("action"),
            before: params.get("before").and_then(|b| b.parse().ok()),
        }
    };
    let entries = Resource::new(filter, audit_log);
    let i18n = use_i18n();
    let locale = i18n.locale;
    let field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
    view! {
        <Title text=locale.t(AuditText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(AuditText::Title)}</h1>
        <p class="mt-1 text-sm text-slate-600">{locale.t(AuditText::Intro)}</p>
        <form method="get" action="/audit" class="mt-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-4">
            <div>
                <label for="action" class="block text-xs font-medium text-slate-600">{locale.t(AuditText::Action)}</label>
                <select id="action" name="action" class=field>
                    <option value="">{locale.t(AuditText::AnyAction)}</option>
                    {move || {
                        let current = filter().action;
                        ACTIONS.iter().map(|(kind, label)| view! { <option value=kind.as_str() selected=current.as_deref() == Some(kind.as_str())>{locale.t(*label)}</option> }).collect_view()
                    }}
                </select>
            </div>
            <div>
                <label for="order" class="block text-xs font-medium text-slate-600">{locale.t(AuditText::Order)}</label>
                <input id="order" name="order" value=move || filter().order.unwrap_or_default() class=field />
            </div>
            <div>
                <label for="operator" class="block text-xs font-medium text-slate-600">{locale.t(AuditText::OperatorId)}</label>
                <input id="operator" name="operator" value=move || filter().operator.unwrap_or_default() class=field />
            </div>
            <div class="flex items-end gap-2">
                <a href="/audit" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">{locale.t(AuditText::Clear)}</a>
                <button type="submit" class="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">{locale.t(AuditText::Filter)}</button>
            </div>
        </form>
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let i18n = i18n.clone();
                    Suspend::new(async move {
                        let entries = entries.await?;
                        let next = (entries.len() == 100).then(|| entries.last().map(|e| e.id)).flatten();
                        let base = filter();
                        Ok::<_, crate::error::AppError>(view! {
                            <div class="relative mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                                <table class="w-full text-sm">
                                    <caption class="sr-only">{locale.t(AuditText::Title)}</caption>
                                    <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                                        <tr><th scope="col" class="px-4 py-2">{locale.t(AuditText::When)}</th><th scope="col" class="px-4 py-2">{locale.t(AuditText::Who)}</th><th scope="col" class="px-4 py-2">{locale.t(AuditText::What)}</th><th scope="col" class="px-4 py-2">{locale.t(AuditText::OrderColumn)}</th></tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100">
                                        {entries.into_iter().map(|e| view! {
                                            <tr>
                                                <td class="whitespace-nowrap px-4 py-2 text-slate-600">{i18n.date_time(e.at_ms)}</td>
                                                <td class="px-4 py-2">{match e.actor_id.clone() {
                                                    Some(id) => view! { <a class="text-sky-700 hover:underline" href=format!("/audit?operator={}", urlencode(&id))>{e.actor.clone()}</a> }.into_any(),
                                                    None => view! { <span>{e.actor.clone()}</span> }.into_any(),
                                                }}</td>
                                                <td class="px-4 py-2">{e.summary.clone()}</td>
                                                <td class="px-4 py-2 font-mono text-xs">{e.subscription_id.clone().map(|id| view! { <a class="text-sky-700 hover:underline" href=format!("/orders/{id}")>{id.chars().take(8).collect::<String>()}</a> })}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|before| {
                                let mut href = format!("/audit?before={before}");
                                for (name, value) in [("operator", base.operator), ("order", base.order), ("action", base.action)] {
                                    if let Some(value) = value { href.push_str(&format!("&{name}={}", urlencode(&value))); }
                                }
                                view! { <p class="mt-4 text-right"><a href=href class="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">{locale.t(AuditText::Older)}</a></p> }
                            })}
                        })
                    })
                }}
            </ErrorBoundary>
        </Suspense>
    }
}
