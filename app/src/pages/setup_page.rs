//! `/setup?token=…`: an invited operator chooses their password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::operators::CompleteSetup;
use crate::components::form_field::{FormField, Refusal, RepeatField};
use crate::i18n::{FormText, SetupText, use_i18n};

/// `/setup`
#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let refusal = Refusal::from_query();
    let general = refusal.general(&["password", "repeat"]).map(|_| match refusal.field.as_deref() {
        Some("token") => locale.t(FormText::LinkUnusable),
        _ => locale.t(FormText::TryLater),
    });
    view! {
        <Title text=i18n.t(SetupText::Title) />
        <div class="mx-auto mt-6 max-w-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{i18n.t(SetupText::Title)}</h1>
            <p class="mt-1 text-sm text-slate-600">{i18n.t(SetupText::Intro)}</p>
            {general.map(|text| view! { <p role="alert" class="mt-5 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900">{text}</p> })}
            <form method="post" action=CompleteSetup::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                <input type="hidden" name="token" value=token />
                <FormField id="password" label=locale.t(SetupText::Password) kind="password" autocomplete="new-password" minlength=10
                    error=refusal.is("password").then(|| locale.t(FormText::PasswordTooWeak)) />
                <RepeatField label=locale.t(SetupText::Repeat) against="password" mismatch=locale.t(FormText::PasswordsDiffer) refused=refusal.is("repeat") />
                <button type="submit" class="w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">{i18n.t(SetupText::Save)}</button>
            </form>
        </div>
    }
}
