//! `/orders/:id`: one order: what STACKIT says, the contact e-mail, the checklist, notes, the
//! decision and the timeline.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::auth::get_me;
use crate::api::orders::{AddNote, AssignOrder, SetContactEmail, get_order, order_neighbours};
use crate::components::checklist::Checklist;
use crate::components::copy_button::CopyButton;
use crate::components::deadline::Deadline;
use crate::components::error_view::error_fallback;
use crate::components::flash::Flash;
use crate::components::in_place::InPlace;
use crate::components::live::LiveUpdates;
use crate::components::order_actions::OrderActions;
use crate::components::state_badge::StateBadge;
use crate::error::AppError;
use crate::i18n::{ErrorText, Locale, OrderText, use_i18n};
use crate::model::{Neighbours, OrderDetail, Role};
use crate::url::urlencode;

const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";
const FIELD: &str = "block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm";
const BUTTON: &str = "whitespace-nowrap rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700";

/// What the last form on this page ran into, from `?error=`, in `locale`.
fn form_error(code: &str, locale: Locale) -> &'static str {
    match code {
        "conflict" => locale.t(OrderText::ErrorConflict),
        "invalid" => locale.t(OrderText::ErrorInvalid),
        "upstream" => locale.t(OrderText::ErrorUpstream),
        "forbidden" => locale.t(OrderText::ErrorForbidden),
        _ => locale.t(ErrorText::TryAgain),
    }
}

/// `/orders/:id`
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let order = Resource::new(id, get_order);
    let me = Resource::new(|| (), |_| get_me());
    let locale = use_i18n().locale;
    let error = move || query.read().get("error").map(|code| form_error(&code, locale));
    let done = move || query.read().get("done");
    let step = move || query.read().get("step");
    let neighbours = Resource::new(id, order_neighbours);
    view! {
        <Suspense fallback=move || view! { <OrderNav neighbours=Neighbours::default() locale /> }>
            {move || Suspend::new(async move {
                view! { <OrderNav neighbours=neighbours.await.unwrap_or_default() locale /> }
            })}
        </Suspense>
        {move || error().map(|text| view! {
            <p role="alert" class="mt-3 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p>
        })}
        <Suspense fallback=move || view! { <p class="mt-8 text-sm text-slate-500">{locale.t(OrderText::Loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let order = order.await?;
                    let operator = me.await?.ok_or(AppError::Unauthorized)?;
                    let can_work = operator.has(Role::Operator);
                    Ok::<_, AppError>(view! {
                        <div data-in-place="">
                            <Flash done=done() step=step() order=order.clone() can_work />
                            <InPlace />
                            <OrderView order can_work />
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The way back to the inbox view and to the orders before and after this one in it.
#[component]
fn OrderNav(neighbours: Neighbours, locale: Locale) -> impl IntoView {
    let back = if neighbours.back.is_empty() { "/orders".to_string() } else { neighbours.back };
    let link =
        "rounded px-1 text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-700";
    view! {
        <nav aria-label=locale.t(OrderText::Navigation) class="flex flex-wrap items-center justify-between gap-2 text-sm">
            <a href=back class=link>{locale.t(OrderText::BackToOrders)}</a>
            <span class="flex gap-3">
                {neighbours.previous.map(|id| view! {
                    <a href=format!("/orders/{}", urlencode(&id)) rel="prev" class=link aria-label=locale.t(OrderText::PreviousLabel)>
                        "← " {locale.t(OrderText::Previous)}
                    </a>
                })}
                {neighbours.next.map(|id| view! {
                    <a href=format!("/orders/{}", urlencode(&id)) rel="next" class=link aria-label=locale.t(OrderText::NextLabel)>
                        {locale.t(OrderText::Next)} " →"
                    </a>
                })}
            </span>
        </nav>
    }
}

#[component]
fn OrderView(order: OrderDetail, can_work: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let row = order.row.clone();
    let id = row.subscription_id.clone();
    let title = format!("{} · {}", row.product_name, id.chars().take(8).collect::<String>());
    let stackit_email =
        order.consumer_notification_email.clone().filter(|e| Some(e) != row.contact_email.as_ref());
    view! {
        <Title text=title />
        <div class="mt-3 flex flex-wrap items-center gap-3" data-live="head">
            <h1 class="text-2xl font-semibold tracking-tight">{row.product_name.clone()}</h1>
            <StateBadge state=row.state />
            {(row.state_raw != row.state.as_wire()).then(|| view! { <code class="text-xs text-slate-500">{row.state_raw.clone()}</code> })}
        </div>
        <dl class="mt-1 flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600">
            {[
                ("subscription-id", OrderText::SubscriptionId, id.clone()),
                ("project-id", OrderText::ProjectId, row.project_id.clone()),
                ("organization-id", OrderText::OrganizationId, row.organization_id.clone()),
            ]
            .into_iter()
            .map(|(key, label, value)| view! {
                <div class="flex flex-wrap items-center">
                    <dt class="mr-1 whitespace-nowrap">{locale.t(label)}</dt>
                    <dd class="font-mono text-slate-700">
                        <span id=key>{value}</span>
                        <CopyButton from=key.to_string() what=locale.t(label).to_string() locale />
                    </dd>
                </div>
            })
            .collect_view()}
        </dl>
        <LiveUpdates cursor=order.cursor order=Some(id.clone()) locale />
        <div data-live="notices">
        {order.replaces.clone().map(|(previous, plan)| view! {
            <p class="mt-2 text-sm text-violet-800">{locale.t(OrderText::FollowsOrder)}" "<a class="font-mono underline" href=format!("/orders/{previous}")>{previous.clone()}</a>" ("{plan}")"</p>
        })}
        {order.replaced_by.clone().map(|(next, plan)| view! {
            <p class="mt-2 text-sm text-violet-800">{locale.t(OrderText::FollowedBy)}" "<a class="font-mono underline" href=format!("/orders/{next}")>{next.clone()}</a>" ("{plan}")"</p>
        })}
        {order.decision_error.clone().map(|e| view! {
            <p role="alert" class="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{locale.f(OrderText::LastDecisionFailed, &[("error", &e)])}</p>
        })}
        </div>
        <div class="mt-6 grid gap-4 lg:grid-cols-3">
            <div class="space-y-4 lg:col-span-2">
                <section aria-labelledby="contact" class=CARD>
                    <div class="flex items-center justify-between">
                        <h2 id="contact" class="text-sm font-semibold">{locale.t(OrderText::CustomerContact)}</h2>
                        // Outside the part live updates redraw: it copies the address shown then.
                        {row.contact_email.is_some().then(|| view! {
                            <CopyButton from="contact-email".to_string() what=locale.t(OrderText::TheContact).to_string() locale />
                        })}
                    </div>
                    <div data-live="contact">
                    <p class="mt-2 text-lg">
                        {match row.contact_email.clone() {
                            Some(email) => view! {
                                <a id="contact-email" href=format!("mailto:{email}") class="break-all text-sky-700 underline-offset-2 hover:underline">{email.clone()}</a>
                            }.into_any(),
                            None => view! { <span>{locale.t(OrderText::NoContact)}</span> }.into_any(),
                        }}
                        <span class="ml-2 text-xs text-slate-600">{row.contact_source.map(|s| locale.t(s.text()))}</span>
                    </p>
                    {stackit_email.map(|e| view! { <p class="text-xs text-slate-600">{locale.f(OrderText::StackitGave, &[("email", &e)])}</p> })}
                    {(!order.customer_accounts.is_empty()).then(|| view! {
                        <p class="text-xs text-slate-600">{locale.f(OrderText::CustomerAccounts, &[("emails", &order.customer_accounts.join(", "))])}</p>
                    })}
                    </div>
                    {can_work.then(|| view! {
                        <form method="post" action=SetContactEmail::url() class="mt-3">
                            <input type="hidden" name="subscription_id" value=id.clone() />
                            <label for="email" class="block text-sm text-slate-700">{locale.t(OrderText::UseOtherEmail)}</label>
                            <div class="mt-1 flex gap-2">
                                <input id="email" name="email" type="email" required=true autocomplete="off" placeholder="it@customer.example" class=FIELD />
                                <button type="submit" class=BUTTON>{locale.t(OrderText::SaveEmail)}</button>
                            </div>
                        </form>
                    })}
                </section>
                <div data-live="checklist"><Checklist subscription_id=id.clone() steps=order.steps.clone() can_work /></div>
                <section aria-labelledby="notes" class=CARD>
                    <h2 id="notes" class="text-sm font-semibold">{locale.t(OrderText::Notes)}</h2>
                    <ul class="mt-2 space-y-2" data-live="notes">
                        {order.notes.iter().map(|n| view! {
                            <li class="rounded-md bg-slate-50 p-2.5 text-sm">
                                <p class="whitespace-pre-wrap">{n.body.clone()}</p>
                                <p class="mt-1 text-xs text-slate-500">{n.author.clone()} " · " {i18n.date_time(n.created_at_ms)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                    {can_work.then(|| view! {
                        <form method="post" action=AddNote::url() class="mt-3 space-y-2">
                            <input type="hidden" name="subscription_id" value=id.clone() />
                            <label for="body" class="block text-sm text-slate-700">{locale.t(OrderText::NewNote)}</label>
                            <textarea id="body" name="body" required=true rows="3" class=FIELD></textarea>
                            <button type="submit" class=BUTTON>{locale.t(OrderText::AddNote)}</button>
                        </form>
                    })}
                </section>
                <section aria-labelledby="timeline" class=CARD>
                    <h2 id="timeline" class="text-sm font-semibold">{locale.t(OrderText::Timeline)}</h2>
                    <ol class="mt-2 space-y-1.5 text-sm" data-live="timeline">
                        {order.timeline.iter().rev().map(|e| view! {
                            <li><span class="text-slate-600">{i18n.date_time(e.at_ms)} " · " {e.actor.clone()} ": "</span>{e.summary.clone()}</li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            <div class="space-y-4">
                {can_work.then(|| view! { <div data-live="actions"><OrderActions order=order.clone() /></div> })}
                <section aria-labelledby="work" class=CARD>
                    <h2 id="work" class="text-sm font-semibold">{locale.t(OrderText::DeadlineAndAssignee)}</h2>
                    <div data-live="work">
                    <p class="mt-2 text-sm"><Deadline state=row.state deadline_ms=row.deadline_ms now_ms=order.now_ms /></p>
                    <p class="mt-2 text-sm">{locale.f(OrderText::AssigneeIs, &[("name", &row.assignee.clone().unwrap_or_else(|| locale.t(OrderText::Nobody).into()))])}</p>
                    {can_work.then(|| view! {
                        <form method="post" action=AssignOrder::url() class="mt-2 flex gap-2">
                            <input type="hidden" name="subscription_id" value=id.clone() />
                            <label for="assignee" class="sr-only">{locale.t(OrderText::Assignee)}</label>
                            <select id="assignee" name="assignee" class=FIELD>
                                <option value="">{locale.t(OrderText::NobodyOption)}</option>
                                {order.operators.iter().map(|(oid, name)| view! {
                                    <option value=oid.clone() selected=order.assignee_id.as_deref() == Some(oid.as_str())>{name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class=BUTTON>{locale.t(OrderText::Assign)}</button>
                        </form>
                    })}
                    {order.instance_target.clone().map(|url| view! { <p class="mt-2 break-all text-sm">{locale.t(OrderText::Instance)} " " <a href=url.clone() class="text-sky-700 hover:underline">{url.clone()}</a></p> })}
                    </div>
                </section>
                // STACKIT's fields are for looking something up, not for every visit: folded.
                <section aria-labelledby="stackit" class=CARD>
                    <details>
                        <summary class="cursor-pointer rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
                            <h2 id="stackit" class="inline text-sm font-semibold">{locale.t(OrderText::FromStackit)}</h2>
                            <span class="ml-2 text-xs text-slate-600">{locale.f(OrderText::DetailsCount, &[("n", &order.fields.len())])}</span>
                        </summary>
                        <dl class="mt-2 space-y-1.5 text-sm">
                            {order.fields.iter().map(|(label, value)| view! {
                                <div><dt class="text-xs text-slate-600">{label.clone()}</dt><dd class="break-all">{value.clone()}</dd></div>
                            }).collect_view()}
                        </dl>
                    </details>
                </section>
            </div>
        </div>
    }
}
