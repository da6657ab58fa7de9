//! `/my/forgot` and `/my/reset?token=…`: a customer who forgot their password asks for a link by
//! mail, then chooses a new password from it. Plain forms, with and without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{CustomerForgot, CustomerReset};
use crate::i18n::{CustomerText, use_locale};
use crate::pages::welcome_page::{ALERT, BUTTON, FIELD};

const NOTICE: &str =
    "mt-5 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";

/// `/my/forgot`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <Title text=locale.t(CustomerText::ForgotTitle) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::ForgotTitle)}</h1>
            <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::ForgotIntro)}</p>
            {move || sent().then(|| view! { <p role="status" class=NOTICE>{locale.t(CustomerText::LinkSent)}</p> })}
            <form method="post" action=CustomerForgot::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <div>
                    <label for="email" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::EmailAddress)}</label>
                    <input id="email" name="email" type="email" autocomplete="email" required=true class=FIELD />
                </div>
                <button type="submit" class=BUTTON>{locale.t(CustomerText::SendLink)}</button>
            </form>
        </div>
    }
}

/// `/my/reset?token=…`
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let failed = move || query.read().get("error").is_some();
    view! {
        <Title text=locale.t(CustomerText::ResetTitle) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::ResetTitle)}</h1>
            {move || failed().then(|| view! { <p role="alert" class=ALERT>{locale.t(CustomerText::ResetFailed)}</p> })}
            <form method="post" action=CustomerReset::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <input type="hidden" name="token" value=token />
                <div>
                    <label for="password" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::NewPassword)}</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required=true class=FIELD />
                </div>
                <div>
                    <label for="repeat" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::PasswordAgain)}</label>
                    <input id="repeat" name="repeat" type="password" autocomplete="new-password" minlength="10" required=true class=FIELD />
                </div>
                <button type="submit" class=BUTTON>{locale.t(CustomerText::SavePassword)}</button>
            </form>
        </div>
    }
}
