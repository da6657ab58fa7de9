//! The frame of the customer side: the vendor's name (these pages are the vendor's product to the
//! customer), the customer's subscriptions and signing out, and the language switch.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::customers::{CustomerLogout, customer_me};
use crate::components::hydration_marker::HydrationMarker;
use crate::components::language_switch::LanguageSwitch;
use crate::context::VendorBrand;
use crate::i18n::{CustomerText, Time, use_i18n};

/// The configured vendor name, if any.
pub fn configured_vendor() -> Option<String> {
    use_context::<VendorBrand>().and_then(|brand| brand.name)
}

/// The vendor's name for the page frame: the configured one, else "Orderdesk".
pub fn vendor_name() -> String {
    configured_vendor().unwrap_or_else(|| "Orderdesk".to_string())
}

/// Header, main area and footer of customer pages.
#[component]
pub fn CustomerLayout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale;
    let me = Resource::new(|| (), |_| customer_me());
    view! {
        <header class="border-b border-slate-200 bg-white">
            <div class="mx-auto flex min-h-14 max-w-4xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2 sm:px-6">
                <a href="/my" class="text-base font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-sky-700">
                    {vendor_name()}
                </a>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        me.await.ok().flatten().map(|customer| view! {
                            <nav aria-label=locale.t(CustomerText::MySubscriptions) class="ml-auto flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                                <a href="/my" class="rounded px-2 py-1 text-slate-700 hover:bg-slate-100">{locale.t(CustomerText::MySubscriptions)}</a>
                                <span class="max-w-48 truncate text-slate-600" title=customer.email.clone()>{customer.email.clone()}</span>
                                <form method="post" action=CustomerLogout::url()>
                                    <button type="submit" class="rounded-md border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-700">
                                        {locale.t(CustomerText::SignOut)}
                                    </button>
                                </form>
                            </nav>
                        })
                    })}
                </Suspense>
            </div>
        </header>
        <main id="main" class="mx-auto max-w-4xl px-4 py-8 sm:px-6">{children()}</main>
        <footer class="mx-auto flex max-w-4xl flex-wrap items-center gap-x-6 gap-y-2 px-4 pb-8 text-xs text-slate-500 sm:px-6">
            <span>{vendor_name()} " · STACKIT Marketplace"</span>
            <a href="/docs/onboarding" class="underline hover:text-slate-700">{locale.t(CustomerText::Documentation)}</a>
            <span>{i18n.f(Time::ZoneNote, &[("zone", &i18n.clock.zone_name())])}</span>
            <LanguageSwitch current=locale />
            <HydrationMarker />
        </footer>
    }
}
