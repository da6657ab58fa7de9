//! `/my/login`: customers sign in. A sign-up in progress (from STACKIT) is linked to the account.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::CustomerLogin;
use crate::i18n::{CustomerText, use_locale};
use crate::pages::welcome_page::{ALERT, BUTTON, FIELD};

const NOTICE: &str =
    "mt-5 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";

/// `/my/login`
#[component]
pub fn CustomerLoginPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let error = move || {
        query.read().get("error").map(|code| match code.as_str() {
            "rate_limited" => CustomerText::TooManyAttempts,
            "conflict" => CustomerText::ConfirmAddressFirst,
            _ => CustomerText::LoginFailed,
        })
    };
    let reset = move || query.read().get("reset").is_some();
    view! {
        <Title text=locale.t(CustomerText::SignIn) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::LoginTitle)}</h1>
            {move || reset().then(|| view! { <p role="status" class=NOTICE>{locale.t(CustomerText::PasswordReset)}</p> })}
            {move || error().map(|text| view! { <p role="alert" class=ALERT>{locale.t(text)}</p> })}
            <form method="post" action=CustomerLogin::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <div>
                    <label for="email" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::EmailAddress)}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required=true class=FIELD />
                </div>
                <div>
                    <label for="password" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::Password)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required=true class=FIELD />
                </div>
                <button type="submit" class=BUTTON>{locale.t(CustomerText::SignIn)}</button>
            </form>
            <p class="mt-4 text-sm"><a href="/my/forgot" class="font-medium text-sky-700 underline">{locale.t(CustomerText::Forgot)}</a></p>
            <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::NoAccount)}</p>
        </div>
    }
}
