//! `/orders`: the inbox. Pending orders first, nearest deadline first; every filter is in the
//! address, so a link shows the same view.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::get_me;
use crate::api::orders::{AssignOrder, list_orders};
use crate::components::deadline::Deadline;
use crate::components::error_view::error_fallback;
use crate::components::inbox_views::{QuickViewLinks, ViewSummary};
use crate::components::live::LiveUpdates;
use crate::components::state_badge::StateBadge;
use crate::components::sync_button::SyncButton;
use crate::i18n::{InboxText, Locale, use_i18n};
use crate::model::{InboxPage, InboxQuery, LifecycleState, Role};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:outline-2 focus:outline-sky-700";

/// The address of this inbox view with `after` as the page cursor (none: the first page).
fn page_link(query: &InboxQuery, after: Option<&str>) -> String {
    view_link("/orders", query, after)
}

/// The address of this view at `path` (the page or its CSV export).
fn view_link(path: &str, query: &InboxQuery, after: Option<&str>) -> String {
    match query.query_string(after) {
        view if view.is_empty() => path.into(),
        view => format!("{path}?{view}"),
    }
}

/// `/orders`
#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_query_map();
    let query = move || {
        let params = params.read();
        InboxQuery::from_params(|name| params.get(name))
    };
    let page = Resource::new(query, list_orders);
    let me = Resource::new(|| (), |_| get_me());
    let locale = use_i18n().locale;
    let synced = move || {
        params.read().get("synced").and_then(|text| {
            let parts: Vec<u64> = text.split('-').filter_map(|p| p.parse().ok()).collect();
            (parts.len() == 3).then(|| {
                locale.f(
                    InboxText::Synced,
                    &[("new", &parts[0]), ("changed", &parts[1]), ("unchanged", &parts[2])],
                )
            })
        })
    };
    view! {
        <Title text=locale.t(InboxText::Title) />
        <div class="flex flex-wrap items-end justify-between gap-3">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight">{locale.t(InboxText::Title)}</h1>
                <p class="mt-1 text-sm text-slate-600">{locale.t(InboxText::Intro)}</p>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    me.await.ok().flatten().filter(|o| o.has(Role::Operator)).map(|_| view! { <SyncButton locale /> })
                })}
            </Suspense>
        </div>
        {move || synced().map(|text| view! { <p role="status" class="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{text}</p> })}
        <Suspense fallback=move || view! { <p class="mt-8 text-sm text-slate-500">{locale.t(InboxText::Loading)}</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = page.await?;
                    // Operators get "Assign to me" on the rows nobody has.
                    let worker = me.await.ok().flatten().filter(|o| o.has(Role::Operator)).map(|o| o.id);
                    let export_href = view_link("/orders.csv", &query(), None);
                    Ok::<_, crate::error::AppError>(view! {
                        <div data-live="views"><QuickViewLinks query=query() views=data.views locale /></div>
                        <Filters query=query() data=data.clone() locale />
                        <div data-live="total"><ViewSummary total=data.total export_href locale /></div>
                        <LiveUpdates cursor=data.cursor order=None locale />
                        <Table query=query() data worker />
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The filter form: a GET form, so it works without JavaScript and lands in the address.
#[component]
fn Filters(query: InboxQuery, data: InboxPage, locale: Locale) -> impl IntoView {
    let selected = |current: &Option<String>, value: &str| current.as_deref() == Some(value);
    let active = [
        query.q.is_some(),
        query.state.is_some(),
        query.product.is_some(),
        query.assigned.is_some(),
        query.overdue,
        query.due_soon,
    ]
    .into_iter()
    .filter(|on| *on)
    .count();
    view! {
        // On a phone the filters fold behind one control (a checkbox and its label: it works
        // without JavaScript); from 768 px they are always shown.
        <input type="checkbox" id="show-filters" class="peer sr-only md:hidden" />
        <label for="show-filters" class="mt-4 inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-sky-700 md:hidden">
            {locale.t(InboxText::Filters)}
            {(active > 0).then(|| view! { <span class="rounded-full bg-slate-900 px-1.5 text-xs text-white">{active}</span> })}
        </label>
        <form method="get" action="/orders" class="mt-4 hidden gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm peer-checked:grid sm:grid-cols-2 md:grid lg:grid-cols-6">
            <div class="lg:col-span-2">
                <label for="q" class="block text-xs font-medium text-slate-600">{locale.t(InboxText::Search)}</label>
                <input id="q" name="q" type="search" placeholder=locale.t(InboxText::SearchPlaceholder) value=query.q.clone().unwrap_or_default() class=FIELD />
            </div>
            <div>
                <label for="state" class="block text-xs font-medium text-slate-600">{locale.t(InboxText::State)}</label>
                <select id="state" name="state" class=FIELD>
                    <option value="">{locale.t(InboxText::AnyState)}</option>
                    {LifecycleState::ALL.into_iter().filter(|s| *s != LifecycleState::Unspecified).map(|s| {
                        view! { <option value=s.as_wire() selected=selected(&query.state, s.as_wire())>{locale.t(s.text())}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="product" class="block text-xs font-medium text-slate-600">{locale.t(InboxText::Product)}</label>
                <select id="product" name="product" class=FIELD>
                    <option value="">{locale.t(InboxText::AnyProduct)}</option>
                    {data.products.iter().map(|(id, name)| {
                        view! { <option value=id.clone() selected=selected(&query.product, id)>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="assigned" class="block text-xs font-medium text-slate-600">{locale.t(InboxText::AssignedTo)}</label>
                <select id="assigned" name="assigned" class=FIELD>
                    <option value="">{locale.t(InboxText::Anyone)}</option>
                    <option value="me" selected=selected(&query.assigned, "me")>{locale.t(InboxText::Me)}</option>
                    <option value="none" selected=selected(&query.assigned, "none")>{locale.t(InboxText::Nobody)}</option>
                </select>
            </div>
            <div>
                <label for="sort" class="block text-xs font-medium text-slate-600">{locale.t(InboxText::Sort)}</label>
                <select id="sort" name="sort" class=FIELD>
                    <option value="deadline">{locale.t(InboxText::Deadline)}</option>
                    <option value="newest" selected=selected(&query.sort, "newest")>{locale.t(InboxText::NewestFirst)}</option>
                </select>
            </div>
            <div class="flex items-end justify-between gap-3 sm:col-span-2 lg:col-span-6">
                <div class="flex flex-wrap gap-x-5 gap-y-2">
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="overdue" checked=query.overdue class="h-4 w-4 rounded border-slate-300" />
                        {locale.t(InboxText::OnlyOverdue)}
                    </label>
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="due_soon" checked=query.due_soon class="h-4 w-4 rounded border-slate-300" />
                        {locale.t(InboxText::OnlyDueSoon)}
                    </label>
                </div>
                <div class="flex gap-2">
                    <a href="/orders" class="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">{locale.t(InboxText::Clear)}</a>
                    <button type="submit" class="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
                        {locale.t(InboxText::Filter)}
                    </button>
                </div>
            </div>
        </form>
    }
}

/// The table of orders and the link to the next page.
#[component]
fn Table(query: InboxQuery, data: InboxPage, worker: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let now = data.now_ms;
    if data.rows.is_empty() {
        return view! {
            <p class="mt-6 rounded-lg border border-dashed border-slate-300 bg-white px-5 py-8 text-sm text-slate-600">
                {locale.t(InboxText::Empty)}
            </p>
        }
        .into_any();
    }
    let next = data.next.clone().map(|after| page_link(&query, Some(&after)));
    let here = page_link(&query, query.after.as_deref());
    view! {
        // `relative`: the table's visually hidden texts are positioned; without a positioned
        // scroll box they widen the page past it.
        // From 768 px the list scrolls in its own box, under a header that stays in view.
        <div class="relative mt-2 rounded-lg border border-slate-200 bg-white shadow-sm md:max-h-[calc(100dvh-5rem)] md:overflow-auto">
            <table class="inbox-table w-full text-sm">
                <caption class="sr-only">{locale.t(InboxText::Title)}</caption>
                <thead class="bg-slate-50 md:sticky md:top-0 md:z-10 text-left text-xs uppercase tracking-wide text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::Order)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::State)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::ProductAndPlan)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::Contact)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::Ordered)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::Deadline)}</th>
                        <th scope="col" class="px-4 py-2 font-medium">{locale.t(InboxText::Assignee)}</th>
                        <th scope="col" class="px-4 py-2 text-right font-medium">{locale.t(InboxText::Setup)}</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {data.rows.into_iter().map(|row| {
                        let short: String = row.subscription_id.chars().take(8).collect();
                        let href = format!("/orders/{}", row.subscription_id);
                        let assign = (row.assignee.is_none() && row.state == LifecycleState::Pending)
                            .then(|| worker.clone())
                            .flatten()
                            .map(|me| view! {
                                <form method="post" action=AssignOrder::url()>
                                    <input type="hidden" name="subscription_id" value=row.subscription_id.clone() />
                                    <input type="hidden" name="assignee" value=me />
                                    <input type="hidden" name="back" value=here.clone() />
                                    <button type="submit" data-shortcut="assign" class="whitespace-nowrap rounded border border-slate-300 px-1.5 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-700"
                                        aria-label=locale.f(InboxText::AssignToMeLabel, &[("id", &row.subscription_id)])>
                                        {locale.t(InboxText::AssignToMe)}
                                    </button>
                                </form>
                            });
                        view! {
                            <tr id=format!("order-{}", row.subscription_id)>
                                <th scope="row" class="c-order">
                                    <a href=href class="order-link" aria-label=locale.f(InboxText::OrderLabel, &[("id", &row.subscription_id)])
                                        title=format!("{} {} · {}", locale.t(InboxText::Project), row.project_id, row.organization_id)>
                                        {short}
                                    </a>
                                </th>
                                <td class="c-state"><StateBadge state=row.state /></td>
                                <td class="c-product" data-label=locale.t(InboxText::ProductAndPlan)>
                                    <span class="cell-text" title=format!("{} · {}", row.product_name, row.plan)>{row.product_name.clone()} <span class="text-slate-600">"· " {row.plan.clone()}</span></span>
                                    {row.replaces_plan.clone().map(|from| view! { <span class="block text-xs font-medium text-violet-700">{locale.f(InboxText::PlanChange, &[("from", &from), ("to", &row.plan)])}</span> })}
                                </td>
                                <td class="c-contact" data-label=locale.t(InboxText::Contact)>
                                    {match row.contact_email {
                                        Some(email) => {
                                            let source = row.contact_source.map(|s| locale.t(s.text())).unwrap_or_default();
                                            view! {
                                                <a href=format!("mailto:{email}") class="cell-text email" title=format!("{email} · {source}")>{email.clone()}</a>
                                            }.into_any()
                                        }
                                        None => view! { <span class="text-slate-600">{locale.t(InboxText::NoneYet)}</span> }.into_any(),
                                    }}
                                </td>
                                <td class="c-ordered whitespace-nowrap text-slate-700" data-label=locale.t(InboxText::Ordered)>
                                    <time title=i18n.date_time(row.ordered_at_ms)>{i18n.relative(row.ordered_at_ms, now)}</time>
                                </td>
                                <td class="c-deadline whitespace-nowrap"><Deadline state=row.state deadline_ms=row.deadline_ms now_ms=now compact=true /></td>
                                <td class="c-assignee" data-label=locale.t(InboxText::Assignee)>
                                    {match assign {
                                        Some(form) => form.into_any(),
                                        None => row.assignee.clone().unwrap_or_else(|| "—".into()).into_any(),
                                    }}
                                </td>
                                <td class="c-setup text-right tabular-nums" data-label=locale.t(InboxText::Setup)>{row.steps_done} " / " {row.steps_total}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {next.map(|href| view! {
            <p class="mt-4 text-right"><a href=href class="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">{locale.t(InboxText::NextPage)}</a></p>
        })}
    }
    .into_any()
}
