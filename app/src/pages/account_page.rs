//! The signed-in operator's own account: who they are, and changing their password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::{ChangePassword, get_me};
use crate::components::error_view::error_fallback;
use crate::error::AppError;
use crate::i18n::{AccountText, use_i18n};

/// `/account`
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let me = Resource::new(|| (), |_| get_me());
    let notice = move || {
        let query = query.read();
        if query.get("changed").is_some() {
            Some((
                "status",
                locale.t(AccountText::Changed),
                "border-emerald-200 bg-emerald-50 text-emerald-900",
            ))
        } else {
            query.get("error").map(|code| {
                let text = match code.as_str() {
                    "invalid" => locale.t(AccountText::Invalid),
                    _ => locale.t(AccountText::Failed),
                };
                ("alert", text, "border-rose-200 bg-rose-50 text-rose-900")
            })
        }
    };
    let field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-2 focus:outline-sky-700";
    view! {
        <Title text=i18n.t(AccountText::Title) />
        <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(AccountText::Title)}</h1>
        <Suspense fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let operator = me.await?.ok_or(AppError::Unauthorized)?;
                    Ok::<_, AppError>(view! {
                        <p class="mt-1 text-sm text-slate-600">
                            {operator.display_name} " · " {operator.email} " · " {locale.t(operator.role.text())}
                        </p>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
        {move || notice().map(|(role, text, class)| view! {
            <p role=role class=format!("mt-5 max-w-md rounded-md border px-3 py-2 text-sm {class}")>{text}</p>
        })}
        <form method="post" action=ChangePassword::url() class="mt-6 max-w-md space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 class="text-sm font-semibold">{i18n.t(AccountText::ChangePassword)}</h2>
            <div>
                <label for="current" class="block text-sm font-medium text-slate-700">{i18n.t(AccountText::Current)}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required=true class=field />
            </div>
            <div>
                <label for="new" class="block text-sm font-medium text-slate-700">{i18n.t(AccountText::New)}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required=true minlength="10" class=field />
            </div>
            <div>
                <label for="repeat" class="block text-sm font-medium text-slate-700">{i18n.t(AccountText::Repeat)}</label>
                <input id="repeat" name="repeat" type="password" autocomplete="new-password" required=true minlength="10" class=field />
            </div>
            <button type="submit" class="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">
                {i18n.t(AccountText::ChangePassword)}
            </button>
        </form>
    }
}
