//! Sign-in for operators. A plain form: it works the same with and without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Login;
use crate::components::form_field::{FormField, Refusal};
use crate::i18n::{LoginText, use_i18n};
use crate::url::safe_next;

/// What went wrong at the last attempt, from `?error=`.
fn message(code: &str) -> Option<LoginText> {
    match code {
        "" => None,
        "unauthorized" => Some(LoginText::Unauthorized),
        "rate_limited" => Some(LoginText::RateLimited),
        "unavailable" => Some(LoginText::Unavailable),
        _ => Some(LoginText::Failed),
    }
}

/// `/login`
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let next = move || safe_next(query.read().get("next").as_deref());
    let refusal = Refusal::from_query();
    let error = refusal.code.as_deref().and_then(message).map(|key| locale.t(key));
    // A wrong address or password: the address stays, the password field takes the focus.
    let wrong = refusal.code.as_deref() == Some("unauthorized");
    let set_up = move || query.read().get("setup").is_some();
    view! {
        <Title text=i18n.t(LoginText::SignIn) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(LoginText::SignIn)}</h1>
            <p class="mt-1 text-sm text-slate-600">{i18n.t(LoginText::Intro)}</p>
            {move || set_up().then(|| view! {
                <p role="status" class="mt-5 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
                    {locale.t(LoginText::PasswordSaved)}
                </p>
            })}
            {error.map(|text| view! {
                <p id="login-error" role="alert" class="mt-5 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p>
            })}
            <form method="post" action=Login::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <input type="hidden" name="next" value=next />
                <FormField id="email" label=locale.t(LoginText::Email) kind="email" autocomplete="username" value=refusal.email.clone().unwrap_or_default() />
                <FormField id="password" label=locale.t(LoginText::Password) kind="password" autocomplete="current-password" flagged=wrong.then_some("login-error") />
                <button
                    type="submit"
                    class="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700"
                >
                    {i18n.t(LoginText::SignIn)}
                </button>
            </form>
        </div>
    }
}
