//! The frame around every page: header with the product name and navigation, main area, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::hydration_marker::HydrationMarker;
use crate::components::user_menu::UserMenu;

/// Header, navigation and footer around the routed page.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    view! {
        <a
            href="#main"
            class="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
        >
            "Skip to content"
        </a>
        <header class="border-b border-slate-800 bg-slate-900 text-white">
            <div class="mx-auto flex h-14 max-w-7xl items-center gap-8 px-4 sm:px-6">
                <A href="/" attr:class="flex items-center gap-2.5 rounded focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-sky-400">
                    <span
                        aria-hidden="true"
                        class="grid h-7 w-7 place-items-center rounded-md bg-sky-500 text-xs font-bold tracking-tight text-white"
                    >
                        "OD"
                    </span>
                    <span class="text-base font-semibold tracking-tight">"Orderdesk"</span>
                </A>
                <nav aria-label="Main" class="flex items-center gap-1 text-sm">
                    <A
                        href="/"
                        exact=true
                        attr:class="rounded-md px-3 py-1.5 text-slate-300 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400 aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
                    >
                        "Overview"
                    </A>
                    <A
                        href="/orders"
                        attr:class="rounded-md px-3 py-1.5 text-slate-300 hover:bg-slate-800 hover:text-white focus-visible:outline-2 focus-visible:outline-sky-400 aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
                    >
                        "Orders"
                    </A>
                </nav>
                <div class="ml-auto">
                    <UserMenu />
                </div>
            </div>
        </header>
        <main id="main" class="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children()}</main>
        <footer class="mx-auto max-w-7xl px-4 pb-8 text-xs text-slate-500 sm:px-6">
            "Orderdesk " {env!("CARGO_PKG_VERSION")} " · SaaS async. orders from the STACKIT Marketplace"
            <HydrationMarker />
        </footer>
    }
}
