//! `/my/subscriptions/:id`: one subscription's setup status as the customer sees it: the phase
//! in plain words, the customer-visible steps, when it should be ready, what happens next, and
//! the instance link once active. Internal steps and notes never reach this page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::customers::subscription_status;
use crate::components::customer_layout::configured_vendor;
use crate::components::error_view::error_fallback;
use crate::components::live::LiveRegions;
use crate::components::phase_badge::PhaseBadge;
use crate::components::team_section::TeamSection;
use crate::error::AppError;
use crate::i18n::{CustomerText, I18n, use_i18n};
use crate::model::{CustomerPhase, CustomerStatus};

/// `/my/subscriptions/:id`
#[component]
pub fn SubscriptionStatusPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let status = Resource::new(id, subscription_status);
    let i18n = use_i18n();
    let locale = i18n.locale;
    view! {
        <p class="text-sm"><a href="/my" class="text-sky-700 hover:underline">{locale.t(CustomerText::BackToList)}</a></p>
        <Suspense fallback=move || view! { <p class="mt-6 text-sm text-slate-500">{locale.t(CustomerText::Loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let i18n = i18n.clone();
                    Suspend::new(async move {
                        let status = status.await?;
                        Ok::<_, AppError>(view! { <StatusView status i18n /> })
                    })
                }}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn StatusView(status: CustomerStatus, i18n: I18n) -> impl IntoView {
    let locale = i18n.locale;
    let summary = status.summary.clone();
    // The vendor as STACKIT names it on the product, unless Orderdesk is configured with a name.
    let vendor = configured_vendor().unwrap_or_else(|| status.vendor_name.clone());
    let next = match summary.phase {
        CustomerPhase::BeingSetUp => locale.f(CustomerText::NextBeingSetUp, &[("vendor", &vendor)]),
        CustomerPhase::Active => locale.t(CustomerText::NextActive).into(),
        CustomerPhase::Suspended => locale.t(CustomerText::NextSuspended).into(),
        CustomerPhase::Cancelling => locale.t(CustomerText::NextCancelling).into(),
        _ => locale.t(CustomerText::NextEnded).into(),
    };
    let pending = summary.phase == CustomerPhase::BeingSetUp;
    view! {
        <Title text=summary.product_name.clone() />
        <div class="mt-3 flex flex-wrap items-center gap-3" data-live="phase">
            <h1 class="text-2xl font-semibold tracking-tight">{summary.product_name.clone()}</h1>
            <PhaseBadge phase=summary.phase />
        </div>
        <p class="mt-1 text-sm text-slate-600">{summary.plan.clone()}</p>
        <div data-live="progress">
            <p class="mt-4 text-sm font-medium" role="status" data-announce="">
                {locale.f(CustomerText::StepsDone, &[("done", &summary.steps_done), ("total", &summary.steps_total)])}
            </p>
            {status.instance_url.clone().map(|url| view! {
                <p class="mt-4">
                    <a href=url class="inline-flex rounded-md bg-emerald-700 px-4 py-2 text-sm font-medium text-white hover:bg-emerald-600">{locale.t(CustomerText::OpenInstance)}</a>
                </p>
            })}
        </div>
        {pending.then(|| view! { <LiveRegions locale /> })}
        <div class="mt-6 grid gap-4 md:grid-cols-3">
            <section class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:col-span-2" aria-labelledby="steps" data-live="steps">
                <h2 id="steps" class="text-sm font-semibold">{locale.t(CustomerText::Steps)}</h2>
                {if status.steps.is_empty() {
                    view! { <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::NoSteps)}</p> }.into_any()
                } else {
                    view! {
                        <ol class="mt-3 space-y-3">
                            {status.steps.iter().map(|step| {
                                let done = step.done_at_ms.is_some();
                                let wording = step.wording.in_locale(locale).clone();
                                view! {
                                    <li class="flex gap-3">
                                        <span aria-hidden="true" class=if done { "mt-0.5 text-emerald-600" } else { "mt-0.5 text-slate-300" }>{if done { "●" } else { "○" }}</span>
                                        <div>
                                            <p class="text-sm font-medium">{wording.title}
                                                <span class="ml-2 text-xs font-normal text-slate-500">
                                                    {if done { locale.t(CustomerText::Done) } else { locale.t(CustomerText::Open) }}
                                                    {step.done_at_ms.map(|ms| format!(" · {}", i18n.date_time(ms)))}
                                                </span>
                                            </p>
                                            {(!wording.description.is_empty()).then(|| view! { <p class="text-sm text-slate-600">{wording.description}</p> })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
            <aside class="space-y-4">
                <section class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-live="dates">
                    <dl class="space-y-2">
                        <div><dt class="text-slate-500">{locale.t(CustomerText::OrderedAt)}</dt><dd>{i18n.date_time(summary.ordered_at_ms)}</dd></div>
                        {pending.then(|| view! {
                            <div><dt class="text-slate-500">{locale.t(CustomerText::ExpectedBy)}</dt><dd>{i18n.date(summary.expected_by_ms)}</dd></div>
                        })}
                        <div><dt class="text-slate-500">{locale.t(CustomerText::Project)}</dt><dd class="font-mono text-xs">{summary.project_id.clone()}</dd></div>
                    </dl>
                </section>
                <section class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm" data-live="next">
                    <h2 class="font-semibold">{locale.t(CustomerText::WhatNext)}</h2>
                    <p class="mt-1 text-slate-700">{next}</p>
                    {pending.then(|| view! { <p class="mt-2 text-xs text-slate-500">{locale.t(CustomerText::RefreshNote)}</p> })}
                </section>
                <TeamSection subscription_id=summary.subscription_id.clone() />
                <section class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
                    <h2 class="font-semibold">{locale.t(CustomerText::Contact)}</h2>
                    <p class="mt-1">
                        <a href=status.vendor_website_url.clone() class="text-sky-700 underline">{locale.f(CustomerText::ContactVendor, &[("vendor", &status.vendor_name)])}</a>
                    </p>
                </section>
            </aside>
        </div>
    }
}
