//! `/my/login`: customers sign in. A sign-up in progress (from STACKIT) is linked to the account.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::CustomerLogin;
use crate::components::form_field::{FormField, Refusal};
use crate::i18n::{CustomerText, use_locale};
use crate::pages::welcome_page::{ALERT, BUTTON};

const NOTICE: &str =
    "mt-5 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";

/// `/my/login`
#[component]
pub fn CustomerLoginPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let refusal = Refusal::from_query();
    let error = refusal.code.as_deref().map(|code| match code {
        "rate_limited" => CustomerText::TooManyAttempts,
        "conflict" => CustomerText::ConfirmAddressFirst,
        _ => CustomerText::LoginFailed,
    });
    // A wrong address or password: the address stays, the password field takes the focus.
    let wrong = refusal.code.as_deref() == Some("unauthorized");
    let reset = move || query.read().get("reset").is_some();
    view! {
        <Title text=locale.t(CustomerText::SignIn) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::LoginTitle)}</h1>
            {move || reset().then(|| view! { <p role="status" class=NOTICE>{locale.t(CustomerText::PasswordReset)}</p> })}
            {error.map(|text| view! { <p id="login-error" role="alert" class=ALERT>{locale.t(text)}</p> })}
            <form method="post" action=CustomerLogin::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <FormField id="email" label=locale.t(CustomerText::EmailAddress) kind="email" autocomplete="username" value=refusal.email.clone().unwrap_or_default() />
                <FormField id="password" label=locale.t(CustomerText::Password) kind="password" autocomplete="current-password" flagged=wrong.then_some("login-error") />
                <button type="submit" class=BUTTON>{locale.t(CustomerText::SignIn)}</button>
            </form>
            <p class="mt-4 text-sm"><a href="/my/forgot" class="font-medium text-sky-700 underline">{locale.t(CustomerText::Forgot)}</a></p>
            <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::NoAccount)}</p>
        </div>
    }
}
