//! `/my/confirm`: a signed-in customer who arrives from STACKIT is asked before the subscription
//! joins their account ("Add … for project … to your account …?"), so a sign-up link that another
//! person or page made the browser open never adds anything by itself.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{ConfirmSignup, CustomerLogout, customer_me, get_signup};
use crate::i18n::{CustomerText, use_locale};
use crate::pages::signup_page::redirect_now;
use crate::pages::welcome_page::{ALERT, BUTTON};

/// `/my/confirm`
#[component]
pub fn ConfirmSignupPage() -> impl IntoView {
    let locale = use_locale();
    let failed = use_query_map().with_untracked(|q| q.get("error").is_some());
    let state = Resource::new(|| (), |_| async { (customer_me().await, get_signup().await) });
    view! {
        <Title text=locale.t(CustomerText::ConfirmTitle) />
        <section class="mx-auto mt-6 max-w-xl rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
            <h1 class="text-2xl font-semibold tracking-tight">{locale.t(CustomerText::ConfirmTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await {
                        (Ok(None), _) => {
                            redirect_now("/welcome");
                            ().into_any()
                        }
                        (Ok(Some(customer)), Ok(Some(info))) => view! {
                            {failed.then(|| view! { <p role="alert" class=ALERT>{locale.t(CustomerText::ConfirmNothing)}</p> })}
                            <p class="mt-3 text-slate-700">
                                {locale.f(CustomerText::ConfirmQuestion, &[("product", &info.product_name), ("plan", &info.plan), ("project", &info.project_id), ("email", &customer.email)])}
                            </p>
                            <form method="post" action=ConfirmSignup::url() class="mt-6 flex items-center gap-4">
                                <button type="submit" class=format!("{BUTTON} sm:w-auto")>{locale.t(CustomerText::ConfirmAdd)}</button>
                                <a href="/my" class="text-sm font-medium text-sky-700 underline">{locale.t(CustomerText::NotNow)}</a>
                            </form>
                            <form method="post" action=CustomerLogout::url() class="mt-6 text-sm text-slate-600">
                                {locale.t(CustomerText::ConfirmNotYou)} " "
                                <button type="submit" class="font-medium text-sky-700 underline">{locale.t(CustomerText::SignOut)}</button>
                            </form>
                        }.into_any(),
                        _ => view! {
                            <p role="status" class="mt-3 text-slate-700">{locale.t(CustomerText::ConfirmNothing)}</p>
                            <p class="mt-4"><a href="/my" class="text-sm font-medium text-sky-700 underline">{locale.t(CustomerText::MySubscriptions)}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
