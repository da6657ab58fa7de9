//! Reloads a page now and then while something is under way (a subscription being set up), so a
//! customer who keeps it open sees progress. Without JavaScript, the page is as fresh as its load.

use leptos::prelude::*;

/// An island that reloads the page every `seconds` while the tab is visible.
#[island]
pub fn AutoRefresh(seconds: u32) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let every = std::time::Duration::from_secs(u64::from(seconds.max(5)));
            let _ = set_interval_with_handle(
                || {
                    if !document().hidden() {
                        let _ = window().location().reload();
                    }
                },
                every,
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = seconds;
    });
    view! { <span hidden=true></span> }
}
