//! `/my`: every subscription of every project the signed-in customer belongs to.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{customer_me, my_subscriptions};
use crate::components::error_view::error_fallback;
use crate::components::phase_badge::PhaseBadge;
use crate::error::AppError;
use crate::i18n::{CustomerText, use_i18n};

/// `/my`
#[component]
pub fn MySubscriptionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let list = Resource::new(|| (), |_| my_subscriptions());
    let me = Resource::new(|| (), |_| customer_me());
    let just_verified = use_query_map().with_untracked(|q| q.get("verified").is_some());
    view! {
        <Title text=locale.t(CustomerText::MySubscriptions) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::MySubscriptions)}</h1>
        <Suspense fallback=move || view! { <p class="mt-6 text-sm text-slate-500">{locale.t(CustomerText::Loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let i18n = i18n.clone();
                    Suspend::new(async move {
                        let customer = me.await?.ok_or(AppError::Unauthorized)?;
                        let rows = list.await?;
                        Ok::<_, AppError>(view! {
                            {(customer.verified && just_verified).then(|| view! {
                                <p role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{locale.t(CustomerText::Verified)}</p>
                            })}
                            {(!customer.verified).then(|| view! {
                                <p role="status" class="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">{locale.t(CustomerText::Unverified)}</p>
                            })}
                            {if rows.is_empty() {
                                view! { <p class="mt-6 text-sm text-slate-600">{locale.t(CustomerText::NoSubscriptions)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="stack-table mt-6 w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm shadow-sm">
                                        <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                                            <tr>
                                                <th scope="col" class="px-4 py-2 font-medium">{locale.t(CustomerText::Product)}</th>
                                                <th scope="col" class="px-4 py-2 font-medium">{locale.t(CustomerText::Status)}</th>
                                                <th scope="col" class="px-4 py-2 font-medium">{locale.t(CustomerText::Progress)}</th>
                                                <th scope="col" class="px-4 py-2 font-medium">{locale.t(CustomerText::OrderedAt)}</th>
                                            </tr>
                                        </thead>
                                        <tbody class="divide-y divide-slate-100">
                                            {rows.into_iter().map(|row| view! {
                                                <tr>
                                                    <th scope="row" class="px-4 py-3 text-left font-normal">
                                                        <a href=format!("/my/subscriptions/{}", row.subscription_id) class="font-medium text-sky-700 hover:underline">{row.product_name.clone()}</a>
                                                        <span class="subline">{row.plan.clone()} " · " {locale.t(CustomerText::Project)} " " <span class="font-mono">{row.project_id.chars().take(8).collect::<String>()}</span></span>
                                                    </th>
                                                    <td class="px-4 py-3" data-label=locale.t(CustomerText::Status)><PhaseBadge phase=row.phase /></td>
                                                    <td class="px-4 py-3 tabular-nums" data-label=locale.t(CustomerText::Progress)>{locale.f(CustomerText::StepsDone, &[("done", &row.steps_done), ("total", &row.steps_total)])}</td>
                                                    <td class="px-4 py-3" data-label=locale.t(CustomerText::OrderedAt)>{i18n.date(row.ordered_at_ms)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        })
                    })
                }}
            </ErrorBoundary>
        </Suspense>
    }
}
