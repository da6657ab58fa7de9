//! `/welcome`: registration for a customer who arrived from STACKIT (or anyone with the link),
//! showing what they ordered; people with an account sign in instead.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{CustomerRegister, get_signup};
use crate::components::customer_layout::vendor_name;
use crate::components::password_repeat::PasswordRepeat;
use crate::i18n::{CustomerText, use_locale};

pub const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-2 focus:outline-sky-700";
pub const BUTTON: &str = "w-full rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700";
pub const ALERT: &str = "mt-5 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900";

/// `/welcome`
#[component]
pub fn WelcomePage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    // After a failed attempt without JavaScript: which field was wrong (marked, with its error
    // beside it and focus on it) and the address typed (kept).
    let field = query.read_untracked().get("field");
    let failed = query.read_untracked().get("error").is_some();
    let typed = query.read_untracked().get("email");
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
                    let (vendor, field, typed) = (vendor.clone(), field.clone(), typed.clone());
                    Suspend::new(async move {
                        let info = info.await.ok().flatten();
                        let intro = match &info {
                            Some(i) => locale.f(CustomerText::WelcomeIntro, &[("product", &i.product_name), ("plan", &i.plan), ("vendor", &vendor)]),
                            None if invited => locale.t(CustomerText::InvitedWelcome).to_string(),
                            None => locale.t(CustomerText::WelcomeWithout).to_string(),
                        };
                        let email = typed.or_else(|| info.and_then(|i| i.suggested_email)).unwrap_or_default();
                        let wrong = |name: &str| field.as_deref() == Some(name);
                        let (email_wrong, password_wrong, repeat_wrong) = (wrong("email"), wrong("password"), wrong("repeat"));
                        let general = failed && !(email_wrong || password_wrong || repeat_wrong);
                        let error_text = |id: &'static str, text: &'static str| view! {
                            <p id=id class="mt-1 text-sm text-rose-800">{text}</p>
                        };
                        if registered {
                            return view! {
                                <p role="status" class="mt-4 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{locale.t(CustomerText::CheckInbox)}</p>
                            }.into_any();
                        }
                        view! {
                            <p class="mt-2 text-sm text-slate-600">{intro}</p>
                            {general.then(|| view! { <p role="alert" class=ALERT>{locale.t(CustomerText::RegisterFailed)}</p> })}
                            <form method="post" action=CustomerRegister::url() class="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
                                <div>
                                    <label for="email" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::EmailAddress)}</label>
                                    <input id="email" name="email" type="email" autocomplete="email" required=true value=email class=FIELD
                                        aria-invalid=if email_wrong { "true" } else { "false" } aria-describedby=email_wrong.then_some("email-error") autofocus=email_wrong />
                                    {email_wrong.then(|| error_text("email-error", locale.t(CustomerText::EmailInvalid)))}
                                </div>
                                <div>
                                    <label for="password" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::NewPassword)}</label>
                                    <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required=true class=FIELD
                                        aria-invalid=if password_wrong { "true" } else { "false" } aria-describedby=password_wrong.then_some("password-error") autofocus=password_wrong />
                                    {password_wrong.then(|| error_text("password-error", locale.t(CustomerText::PasswordTooWeak)))}
                                </div>
                                <div>
                                    <label for="repeat" class="block text-sm font-medium text-slate-700">{locale.t(CustomerText::PasswordAgain)}</label>
                                    <PasswordRepeat class=FIELD.to_string() invalid=repeat_wrong mismatch=locale.t(CustomerText::PasswordsDiffer).to_string() />
                                    {repeat_wrong.then(|| error_text("repeat-error", locale.t(CustomerText::PasswordsDiffer)))}
                                </div>
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
