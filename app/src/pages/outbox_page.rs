//! `/outbox` (admins): the mails Orderdesk captured instead of sending (demo mode, no SMTP), and
//! background work that failed, with its error.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::settings::{RetryJob, get_outbox};
use crate::components::error_view::error_fallback;
use crate::error::AppError;
use crate::i18n::{I18n, OutboxText, use_i18n};
use crate::model::Outbox;
use leptos::server_fn::ServerFn as _;

/// `/outbox`
#[component]
pub fn OutboxPage() -> impl IntoView {
    let outbox = Resource::new(|| (), |_| get_outbox());
    let i18n = use_i18n();
    let locale = i18n.locale;
    view! {
        <Title text=locale.t(OutboxText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{locale.t(OutboxText::Title)}</h1>
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || {
                    let i18n = i18n.clone();
                    Suspend::new(async move {
                        let outbox = outbox.await?;
                        Ok::<_, AppError>(view! { <OutboxView outbox i18n /> })
                    })
                }}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn OutboxView(outbox: Outbox, i18n: I18n) -> impl IntoView {
    let locale = i18n.locale;
    view! {
        <p class="mt-1 text-sm text-slate-600">
            {locale.t(if outbox.capturing { OutboxText::Capturing } else { OutboxText::Sending })}
        </p>
        <section aria-labelledby="failed" class="mt-6">
            <h2 id="failed" class="text-sm font-semibold">{locale.t(OutboxText::Failed)}</h2>
            {if outbox.failed.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-600">{locale.t(OutboxText::NoFailures)}</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-2 space-y-2 text-sm">
                        {outbox.failed.into_iter().map(|job| {
                            let key = if job.state == "dead" { OutboxText::GaveUp } else { OutboxText::Retrying };
                            view! {
                                <li class="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-rose-900">
                                    <span class="font-medium">{job.kind}</span> " · " {locale.f(key, &[("attempts", &job.attempts)])}
                                    " · " {i18n.date_time(job.updated_at_ms)}
                                    <span class="block font-mono text-xs">{job.last_error}</span>
                                    {(job.state == "dead").then(|| view! {
                                        <form method="post" action=RetryJob::url() class="mt-1">
                                            <input type="hidden" name="job_id" value=job.id.clone() />
                                            <button type="submit" class="rounded-md border border-rose-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-rose-100">{locale.t(OutboxText::Retry)}</button>
                                        </form>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="webhook" class="mt-8">
            <h2 id="webhook" class="text-sm font-semibold">{locale.t(OutboxText::Webhook)}</h2>
            <p class="mt-1 text-sm text-slate-600">{match &outbox.webhook_url {
                Some(url) => locale.f(OutboxText::WebhookTo, &[("url", url)]),
                None => locale.t(OutboxText::NoWebhook).to_string(),
            }}</p>
            {(outbox.webhook_url.is_some() && outbox.deliveries.is_empty()).then(|| view! {
                <p class="mt-2 text-sm text-slate-600">{locale.t(OutboxText::NoDeliveries)}</p>
            })}
            {(!outbox.deliveries.is_empty()).then(|| view! {
                <div class="relative mt-2 overflow-x-auto">
                <table class="w-full text-left text-sm">
                    <thead class="text-xs text-slate-500">
                        <tr>
                            <th class="py-1 pr-3 font-medium">{locale.t(OutboxText::Event)}</th>
                            <th class="py-1 pr-3 font-medium">{locale.t(OutboxText::State)}</th>
                            <th class="py-1 pr-3 font-medium">{locale.t(OutboxText::Attempts)}</th>
                            <th class="py-1 pr-3 font-medium">{locale.t(OutboxText::LastError)}</th>
                            <th class="py-1 font-medium"></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {outbox.deliveries.clone().into_iter().map(|d| view! {
                            <tr>
                                <td class="py-1 pr-3 font-mono text-xs">{d.event}</td>
                                <td class="py-1 pr-3">{d.state.clone()}</td>
                                <td class="py-1 pr-3">{d.attempts}</td>
                                <td class="py-1 pr-3 font-mono text-xs">{d.last_error.unwrap_or_default()}" · "{i18n.date_time(d.updated_at_ms)}</td>
                                <td class="py-1">{(d.state == "dead").then(|| view! {
                                    <form method="post" action=RetryJob::url()>
                                        <input type="hidden" name="job_id" value=d.job_id.clone() />
                                        <button type="submit" class="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium hover:bg-slate-50">{locale.t(OutboxText::Retry)}</button>
                                    </form>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            })}
        </section>
        <section aria-labelledby="mails" class="mt-8">
            <h2 id="mails" class="text-sm font-semibold">{locale.t(OutboxText::Mails)}</h2>
            {if outbox.mails.is_empty() {
                view! { <p class="mt-2 text-sm text-slate-600">{locale.t(OutboxText::NoMails)}</p> }.into_any()
            } else {
                view! {
                    <div class="mt-2 space-y-3">
                        {outbox.mails.into_iter().map(|mail| view! {
                            <article class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label=format!("{} · {}", mail.subject, mail.to)>
                                <p class="text-sm font-medium">{mail.subject.clone()}</p>
                                <p class="text-xs text-slate-500">{locale.t(OutboxText::To)} " " {mail.to.clone()} " · " {i18n.date_time(mail.created_at_ms)}</p>
                                <pre class="mt-2 whitespace-pre-wrap font-sans text-sm text-slate-700 [overflow-wrap:anywhere]">{mail.body}</pre>
                            </article>
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
    }
}
