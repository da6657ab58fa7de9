//! `/verify?token=…`: the link in the verification mail. Opening it changes nothing (mail
//! scanners open links too); the button, with the password the account was registered with,
//! confirms the address and signs the account in.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::VerifyEmail;
use crate::components::form_field::FIELD;
use crate::i18n::{CustomerText, use_locale};
use crate::pages::welcome_page::{ALERT, BUTTON};

/// `/verify`
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let failed = query.with_untracked(|q| q.get("error").is_some());
    let locale = use_locale();
    view! {
        <Title text=locale.t(CustomerText::VerifyTitle) />
        <div class="mx-auto mt-6 max-w-md">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::VerifyTitle)}</h1>
            {if failed {
                view! {
                    <p role="alert" class=ALERT>{locale.t(CustomerText::VerifyFailed)}</p>
                    <p class="mt-4"><a href="/my/login" class="text-sky-700 underline">{locale.t(CustomerText::SignIn)}</a></p>
                }.into_any()
            } else {
                view! {
                    <p class="mt-2 text-sm text-slate-600">{locale.t(CustomerText::VerifyAsk)}</p>
                    <form method="post" action=VerifyEmail::url() class="mt-6 space-y-4">
                        <input type="hidden" name="token" value=token />
                        <div>
                            <label for="password" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::VerifyPassword)}</label>
                            <input id="password" name="password" type="password" autocomplete="current-password" required=true class=FIELD />
                        </div>
                        <button type="submit" class=BUTTON>{locale.t(CustomerText::VerifyButton)}</button>
                    </form>
                }.into_any()
            }}
        </div>
    }
}
