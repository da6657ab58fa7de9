//! `/my/forgot` and `/my/reset?token=…`: a customer who forgot their password asks for a link by
//! mail, then chooses a new password from it. Plain forms, with and without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{CustomerForgot, CustomerReset};
use crate::components::form_field::{FormField, Refusal, RepeatField};
use crate::i18n::{CustomerText, FormText, use_locale};
use crate::pages::welcome_page::{ALERT, BUTTON};

const NOTICE: &str =
    "mt-5 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900";

/// `/my/forgot`
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let refusal = Refusal::from_query();
    let general = refusal.general(&["email"]).map(|code| match code {
        "rate_limited" => locale.t(CustomerText::TooManyAttempts),
        _ => locale.t(FormText::TryLater),
    });
    view! {
        <Title text=locale.t(CustomerText::ForgotTitle) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::ForgotTitle)}</h1>
            <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::ForgotIntro)}</p>
            {move || sent().then(|| view! { <p role="status" class=NOTICE>{locale.t(CustomerText::LinkSent)}</p> })}
            {general.map(|text| view! { <p role="alert" class=ALERT>{text}</p> })}
            <form method="post" action=CustomerForgot::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <FormField id="email" label=locale.t(CustomerText::EmailAddress) kind="email" autocomplete="email"
                    value=refusal.email.clone().unwrap_or_default() error=refusal.is("email").then(|| locale.t(FormText::EmailInvalid)) />
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
    let refusal = Refusal::from_query();
    let general = refusal.general(&["password", "repeat"]).map(|_| match refusal.field.as_deref() {
        Some("token") => locale.t(FormText::LinkUnusable),
        _ => locale.t(FormText::TryLater),
    });
    view! {
        <Title text=locale.t(CustomerText::ResetTitle) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::ResetTitle)}</h1>
            {general.map(|text| view! { <p role="alert" class=ALERT>{text}</p> })}
            <form method="post" action=CustomerReset::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <input type="hidden" name="token" value=token />
                <FormField id="password" label=locale.t(CustomerText::NewPassword) kind="password" autocomplete="new-password" minlength=10
                    error=refusal.is("password").then(|| locale.t(FormText::PasswordTooWeak)) />
                <RepeatField label=locale.t(CustomerText::PasswordAgain) against="password" mismatch=locale.t(FormText::PasswordsDiffer) refused=refusal.is("repeat") />
                <button type="submit" class=BUTTON>{locale.t(CustomerText::SavePassword)}</button>
            </form>
        </div>
    }
}
