//! The frame around every page: header with the product name and navigation, main area, footer
//! with the language switch.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::components::customer_layout::CustomerLayout;
use crate::components::hydration_marker::HydrationMarker;
use crate::components::language_switch::LanguageSwitch;
use crate::components::shortcuts::Shortcuts;
use crate::components::user_menu::UserMenu;
use crate::i18n::{Layout, Time, use_i18n};

const NAV_LINK: &str = "rounded-md px-3 py-1.5 text-slate-300 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400 aria-[current=page]:bg-slate-800 aria-[current=page]:text-white";

/// Paths of the customer side, which has its own frame (the vendor's, not the console's).
pub const CUSTOMER_PATHS: [&str; 5] = ["/signup", "/welcome", "/my", "/verify", "/docs"];

/// Whether `path` belongs to the customer side.
pub fn is_customer_path(path: &str) -> bool {
    CUSTOMER_PATHS.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// Header, navigation and footer around the routed page: the console's, or the customers'.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    if is_customer_path(&use_location().pathname.get_untracked()) {
        return view! { <CustomerLayout>{children()}</CustomerLayout> }.into_any();
    }
    let i18n = use_i18n();
    let locale = i18n.locale;
    let zone = i18n.f(Time::ZoneNote, &[("zone", &i18n.clock.zone_name())]);
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
        >
            {locale.t(Layout::SkipToContent)}
        </a>
        <header class="border-b border-slate-800 bg-slate-900 text-white">
            <div class="mx-auto flex min-h-14 max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-2 sm:px-6">
                <A href="/" attr:class="flex items-center gap-2.5 rounded focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-sky-400">
                    <span
                        aria-hidden="true"
                        class="grid h-7 w-7 place-items-center rounded-md bg-sky-700 text-xs font-bold tracking-tight text-white"
                    >
                        "OD"
                    </span>
                    <span class="text-base font-semibold tracking-tight">"Orderdesk"</span>
                </A>
                // On a phone the navigation and the account's links fold behind "Menu" (a checkbox
                // and its label: no JavaScript needed); from 768 px they are in the header's line.
                <input type="checkbox" id="show-menu" class="peer sr-only md:hidden" />
                <label
                    for="show-menu"
                    class="ml-auto cursor-pointer rounded-md border border-slate-700 px-2.5 py-1 text-sm text-slate-200 hover:bg-slate-800 peer-focus-visible:outline-2 peer-focus-visible:outline-sky-400 md:hidden"
                >
                    {locale.t(Layout::Menu)}
                </label>
                <div class="hidden w-full flex-col items-start gap-3 pb-2 peer-checked:flex md:flex md:w-auto md:flex-1 md:flex-row md:items-center md:gap-8 md:pb-0">
                    <nav aria-label=locale.t(Layout::MainNavigation) class="flex items-center gap-1 text-sm">
                        <A href="/" exact=true attr:class=NAV_LINK>
                            {locale.t(Layout::Overview)}
                        </A>
                        <A href="/orders" attr:class=NAV_LINK>
                            {locale.t(Layout::Orders)}
                        </A>
                    </nav>
                    <div class="md:ml-auto">
                        <UserMenu />
                    </div>
                </div>
            </div>
        </header>
        <main id="main" class="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children()}</main>
        <footer class="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 pb-8 text-xs text-slate-500 sm:px-6">
            <span>"Orderdesk " {env!("CARGO_PKG_VERSION")} " · " {locale.t(Layout::Tagline)}</span>
            <span>{zone}</span>
            <LanguageSwitch current=locale />
            <HydrationMarker />
            <Shortcuts locale />
        </footer>
    }
    .into_any()
}
