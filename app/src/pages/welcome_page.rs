//! `/welcome`: registration for a customer who arrived from STACKIT (or anyone with the link),
//! showing what they ordered; people with an account sign in instead.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{CustomerRegister, get_signup};
use crate::components::customer_layout::vendor_name;
use crate::components::form_field::{FormField, Refusal, RepeatField};
use crate::i18n::{CustomerText, FormText, use_locale};

pub const BUTTON: &str = "w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700";
pub const ALERT: &str = "mt-5 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900";

/// `/welcome`
#[component]
pub fn WelcomePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    // After a failed attempt: the field refused (marked, its error beside it, the focus on it)
    // and the address typed (kept).
    let refusal = Refusal::from_query();
    let invited = query.read_untracked().get("invited").is_some();
    let registered = query.read_untracked().get("registered").is_some();
    let info = Resource::new(|| (), |_| get_signup());
    let vendor = vendor_name();
    view! {
        <Title text=locale.t(CustomerText::WelcomeTitle) />
        <div class="mx-auto mt-6 max-w-md">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::WelcomeTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let (vendor, refusal) = (vendor.clone(), refusal.clone());
                    Suspend::new(async move {
                        let info = info.await.ok().flatten();
                        let intro = match &info {
                            Some(i) => locale.f(CustomerText::WelcomeIntro, &[("product", &i.product_name), ("plan", &i.plan), ("vendor", &vendor)]),
                            None if invited => locale.t(CustomerText::InvitedWelcome).to_string(),
                            None => locale.t(CustomerText::WelcomeWithout).to_string(),
                        };
                        let email = refusal.email.clone().or_else(|| info.and_then(|i| i.suggested_email)).unwrap_or_default();
                        let general = refusal.general(&["email", "password", "repeat"]).map(|code| match code {
                            "rate_limited" => locale.t(CustomerText::TooManyAttempts),
                            _ => locale.t(FormText::TryLater),
                        });
                        if registered {
                            return view! {
                                <p role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{locale.t(CustomerText::CheckInbox)}</p>
                            }.into_any();
                        }
                        view! {
                            <p class="mt-2 text-sm text-slate-600">{intro}</p>
                            {general.map(|text| view! { <p role="alert" class=ALERT>{text}</p> })}
                            <form method="post" action=CustomerRegister::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                                <FormField id="email" label=locale.t(CustomerText::EmailAddress) kind="email" autocomplete="email" value=email
                                    error=refusal.is("email").then(|| locale.t(FormText::EmailInvalid)) />
                                <FormField id="password" label=locale.t(CustomerText::NewPassword) kind="password" autocomplete="new-password" minlength=10
                                    error=refusal.is("password").then(|| locale.t(FormText::PasswordTooWeak)) />
                                <RepeatField label=locale.t(CustomerText::PasswordAgain) against="password" mismatch=locale.t(FormText::PasswordsDiffer) refused=refusal.is("repeat") />
                                <button type="submit" class=BUTTON>{locale.t(CustomerText::Register)}</button>
                            </form>
                        }.into_any()
                    })
                }}
            </Suspense>
            <p class="mt-4 text-sm text-slate-600">
                {locale.t(CustomerText::HaveAccount)} " "
                <a href="/my/login" class="font-medium text-sky-700 underline">{locale.t(CustomerText::SignIn)}</a>
            </p>
        </div>
    }
}
