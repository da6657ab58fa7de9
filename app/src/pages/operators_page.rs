//! `/operators`: admins invite operators, change roles and deactivate accounts.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::operators::{InviteOperator, SetOperatorActive, SetOperatorRole, list_operators};
use crate::components::error_view::error_fallback;
use crate::context::SiteOrigin;
use crate::i18n::{ErrorText, Layout, Locale, OperatorsText, use_i18n};
use crate::model::Role;

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
const SMALL_BUTTON: &str = "whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50";

/// `/operators`
#[component]
pub fn OperatorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let accounts = Resource::new(|| (), |_| list_operators());
    let setup_link = move || {
        query.read().get("setup").map(|token| {
            let origin = use_context::<SiteOrigin>().map(|o| o.0).unwrap_or_default();
            format!("{origin}/setup?token={token}")
        })
    };
    let error = move || {
        query.read().get("error").map(|code| match code.as_str() {
            "invalid" => locale.t(OperatorsText::InvalidInvite),
            "conflict" => locale.t(OperatorsText::Conflict),
            _ => locale.t(ErrorText::TryAgain),
        })
    };
    view! {
        <Title text=i18n.t(Layout::Operators) />
        <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(Layout::Operators)}</h1>
        <p class="mt-1 text-sm text-slate-600">{i18n.t(OperatorsText::Intro)}</p>
        {move || setup_link().map(|link| view! {
            <div role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
                <p>{locale.t(OperatorsText::LinkCreated)}</p>
                <p class="mt-1 break-all font-mono text-xs">{link}</p>
            </div>
        })}
        {move || error().map(|text| view! { <p role="alert" class="mt-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p> })}
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let accounts = accounts.await?;
                    Ok::<_, crate::error::AppError>(view! {
                        <div class="relative mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                            <table class="w-full text-sm">
                                <caption class="sr-only">{locale.t(Layout::Operators)}</caption>
                                <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                                    <tr>
                                        <th scope="col" class="px-4 py-2">{locale.t(OperatorsText::Name)}</th>
                                        <th scope="col" class="px-4 py-2">{locale.t(OperatorsText::Email)}</th>
                                        <th scope="col" class="px-4 py-2">{locale.t(OperatorsText::Role)}</th>
                                        <th scope="col" class="px-4 py-2">{locale.t(OperatorsText::Status)}</th>
                                        <th scope="col" class="px-4 py-2" title=locale.t(OperatorsText::MailsAbout)>{locale.t(OperatorsText::Mails)}</th>
                                        <th scope="col" class="px-4 py-2"><span class="sr-only">{locale.t(OperatorsText::Actions)}</span></th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {accounts.into_iter().map(|a| {
                                        let status = if !a.active {
                                            OperatorsText::StatusDeactivated
                                        } else if a.setup_pending {
                                            OperatorsText::StatusInvited
                                        } else {
                                            OperatorsText::StatusActive
                                        };
                                        let toggle =
                                            if a.active { OperatorsText::Deactivate } else { OperatorsText::Reactivate };
                                        view! {
                                            <tr>
                                                <th scope="row" class="px-4 py-2 text-left font-medium">{a.display_name.clone()}</th>
                                                <td class="px-4 py-2">{a.email.clone()}</td>
                                                <td class="px-4 py-2">
                                                    <form method="post" action=SetOperatorRole::url() class="flex items-center gap-2">
                                                        <input type="hidden" name="id" value=a.id.clone() />
                                                        <label class="sr-only" for=format!("role-{}", a.id)>{locale.f(OperatorsText::RoleOf, &[("name", &a.display_name)])}</label>
                                                        <select id=format!("role-{}", a.id) name="role" class="rounded-md border border-slate-300 px-2 py-1 text-sm">
                                                            {[Role::Admin, Role::Operator, Role::Viewer].into_iter().map(|r| view! { <option value=r.as_str() selected=r == a.role>{locale.t(r.text())}</option> }).collect_view()}
                                                        </select>
                                                        <button type="submit" class=SMALL_BUTTON aria-label=locale.f(OperatorsText::SaveRoleOf, &[("name", &a.display_name)])>{locale.t(OperatorsText::Save)}</button>
                                                    </form>
                                                </td>
                                                <td class="px-4 py-2">{locale.t(status)}</td>
                                                <td class="px-4 py-2">
                                                    {if a.role == Role::Viewer {
                                                        view! { <span class="text-slate-500">{locale.t(OperatorsText::NoMails)}</span> }.into_any()
                                                    } else {
                                                        let language = Locale::parse(&a.mail_locale).unwrap_or_default().name();
                                                        view! { {language} <span class="subline">{a.mail_time_zone.clone()}</span> }.into_any()
                                                    }}
                                                </td>
                                                <td class="px-4 py-2 text-right">
                                                    <form method="post" action=SetOperatorActive::url()>
                                                        <input type="hidden" name="id" value=a.id.clone() />
                                                        <input type="hidden" name="active" value=if a.active { "false" } else { "true" } />
                                                        <button type="submit" class=SMALL_BUTTON>
                                                            {locale.f(toggle, &[("name", &a.display_name)])}
                                                        </button>
                                                    </form>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        <form method="post" action=InviteOperator::url() class="mt-6 grid max-w-3xl gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-4">
            <h2 class="text-sm font-semibold sm:col-span-4">{i18n.t(OperatorsText::InviteTitle)}</h2>
            <div><label for="invite-name" class="block text-xs font-medium text-slate-600">{i18n.t(OperatorsText::Name)}</label><input id="invite-name" name="name" required=true class=FIELD /></div>
            <div><label for="invite-email" class="block text-xs font-medium text-slate-600">{i18n.t(OperatorsText::EmailAddress)}</label><input id="invite-email" name="email" type="email" required=true class=FIELD /></div>
            <div>
                <label for="invite-role" class="block text-xs font-medium text-slate-600">{i18n.t(OperatorsText::Role)}</label>
                <select id="invite-role" name="role" class=FIELD>
                    <option value="operator">{i18n.t(Role::Operator.text())}</option>
                    <option value="viewer">{i18n.t(Role::Viewer.text())}</option>
                    <option value="admin">{i18n.t(Role::Admin.text())}</option>
                </select>
            </div>
            <div class="flex items-end"><button type="submit" class="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">{i18n.t(OperatorsText::CreateLink)}</button></div>
        </form>
    }
}
