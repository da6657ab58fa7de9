//! `/api-tokens`: admins create the automation API's tokens (the secret shown once), see each
//! token's role, expiry and last use, and revoke them. Works without JavaScript: plain forms.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::api_tokens::{CreateApiToken, RevokeApiToken, list_api_tokens};
use crate::components::copy_button::CopyButton;
use crate::components::error_view::error_fallback;
use crate::i18n::{ApiTokensText, ErrorText, Layout, use_i18n};
use crate::model::{ApiToken, Role};

const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm";
const SMALL_BUTTON: &str = "whitespace-nowrap rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium hover:bg-slate-50";

/// `/api-tokens`
#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let tokens = Resource::new(|| (), |_| list_api_tokens());
    let refused = move || query.read().get("field");
    let error = move || {
        query.read().get("error").map(|code| match (code.as_str(), refused().as_deref()) {
            ("invalid" | "conflict", Some("expires_in_days")) => locale.t(ApiTokensText::DaysRefused),
            ("invalid" | "conflict", _) => locale.t(ApiTokensText::NameRefused),
            _ => locale.t(ErrorText::TryAgain),
        })
    };
    view! {
        <Title text=i18n.t(Layout::ApiTokens) />
        <p class="text-sm"><a href="/settings" class="text-sky-800 underline">{i18n.t(Layout::Settings)}</a></p>
        <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(Layout::ApiTokens)}</h1>
        <p class="mt-1 max-w-3xl text-sm text-slate-600">{i18n.t(ApiTokensText::Intro)}" "
            <a href="/api/v1/openapi.json" class="text-sky-800 underline">{i18n.t(ApiTokensText::Docs)}</a></p>
        {move || error().map(|text| view! { <p role="alert" class="mt-4 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p> })}
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = tokens.await?;
                    let now = page.now_ms;
                    Ok::<_, crate::error::AppError>(view! {
                        {page.created.map(|secret| view! {
                            <div id="created" role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
                                <p>{locale.t(ApiTokensText::CreatedNotice)}</p>
                                <div class="mt-2 flex flex-wrap items-center gap-2">
                                    <code id="new-token" class="break-all rounded bg-white px-2 py-1 font-mono text-xs">{secret}</code>
                                    <CopyButton from="new-token".to_string() what=locale.t(ApiTokensText::CreatedNotice).to_string() locale />
                                </div>
                            </div>
                        })}
                        <TokenTable tokens=page.tokens now />
                        <CreateForm />
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

/// The form that creates a token; the field it refused marked.
#[component]
fn CreateForm() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let refused = move || query.read().get("field");
    view! {
        <form method="post" action=CreateApiToken::url() class="mt-6 grid max-w-3xl gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-4">
            <h2 class="text-sm font-semibold sm:col-span-4">{i18n.t(ApiTokensText::CreateTitle)}</h2>
            <div>
                <label for="token-name" class="block text-xs font-medium text-slate-600">{i18n.t(ApiTokensText::Name)}</label>
                <input id="token-name" name="name" required=true maxlength="100" placeholder="provisioning" class=FIELD
                    aria-invalid=move || if refused().is_some_and(|f| f == "name") { "true" } else { "false" } />
            </div>
            <div>
                <label for="token-role" class="block text-xs font-medium text-slate-600">{i18n.t(ApiTokensText::Role)}</label>
                <select id="token-role" name="role" class=FIELD aria-describedby="token-role-hint">
                    <option value="operator">{i18n.t(Role::Operator.text())}</option>
                    <option value="viewer">{i18n.t(Role::Viewer.text())}</option>
                </select>
            </div>
            <div>
                <label for="token-days" class="block text-xs font-medium text-slate-600">{i18n.t(ApiTokensText::Days)}</label>
                <input id="token-days" name="expires_in_days" type="number" min="1" max="3650" inputmode="numeric" class=FIELD
                    aria-invalid=move || if refused().is_some_and(|f| f == "expires_in_days") { "true" } else { "false" } />
            </div>
            <div class="flex items-end"><button type="submit" class="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">{i18n.t(ApiTokensText::Create)}</button></div>
            <p id="token-role-hint" class="text-xs text-slate-600 sm:col-span-4">{i18n.t(ApiTokensText::RoleHint)}</p>
        </form>
    }
}

/// Every token with its role, dates and last use, and a button to revoke the live ones.
#[component]
fn TokenTable(tokens: Vec<ApiToken>, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    if tokens.is_empty() {
        return view! { <p class="mt-6 text-sm text-slate-600">{locale.t(ApiTokensText::Empty)}</p> }
            .into_any();
    }
    let when = move |ms: i64| crate::i18n::relative(locale, ms, now);
    let date_time = {
        let i18n = i18n.clone();
        move |ms: i64| i18n.date_time(ms)
    };
    view! {
        <div class="relative mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="w-full text-sm">
                <caption class="sr-only">{locale.t(Layout::ApiTokens)}</caption>
                <thead class="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="px-4 py-2">{locale.t(ApiTokensText::Name)}</th>
                        <th scope="col" class="px-4 py-2">{locale.t(ApiTokensText::Role)}</th>
                        <th scope="col" class="px-4 py-2">{locale.t(ApiTokensText::CreatedAt)}</th>
                        <th scope="col" class="px-4 py-2">{locale.t(ApiTokensText::Expires)}</th>
                        <th scope="col" class="px-4 py-2">{locale.t(ApiTokensText::LastUsed)}</th>
                        <th scope="col" class="px-4 py-2"><span class="sr-only">{locale.t(ApiTokensText::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {tokens.into_iter().map(|t| {
                        let expired = t.expires_at_ms.is_some_and(|at| at <= now);
                        let status = match (t.revoked_at_ms, expired) {
                            (Some(at), _) => Some(locale.f(ApiTokensText::Revoked, &[("when", &when(at))])),
                            (None, true) => Some(locale.t(ApiTokensText::Expired).to_string()),
                            (None, false) => None,
                        };
                        let live = status.is_none();
                        view! {
                            <tr class=if live { "" } else { "text-slate-500" }>
                                <th scope="row" class="px-4 py-2 text-left font-medium">{t.name.clone()}
                                    {status.map(|s| view! { <span class="subline">{s}</span> })}</th>
                                <td class="px-4 py-2">{locale.t(t.role.text())}</td>
                                <td class="whitespace-nowrap px-4 py-2" title=date_time(t.created_at_ms)>{when(t.created_at_ms)}</td>
                                <td class="whitespace-nowrap px-4 py-2">{t.expires_at_ms.map_or_else(|| locale.t(ApiTokensText::NoExpiry).to_string(), &date_time)}</td>
                                <td class="whitespace-nowrap px-4 py-2">{t.last_used_at_ms.map_or_else(|| locale.t(ApiTokensText::Never).to_string(), when)}</td>
                                <td class="px-4 py-2 text-right">
                                    {live.then(|| view! {
                                        <form method="post" action=RevokeApiToken::url()>
                                            <input type="hidden" name="name" value=t.name.clone() />
                                            <button type="submit" class=SMALL_BUTTON>{locale.f(ApiTokensText::Revoke, &[("name", &t.name)])}</button>
                                        </form>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
