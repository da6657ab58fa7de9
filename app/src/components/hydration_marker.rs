//! Marks the page as interactive once the browser has run the wasm.

use leptos::prelude::*;

/// An island whose only job is to set `data-hydrated="true"` on `<body>` when islands come
/// alive. Effects run only in the browser, so the attribute says "JavaScript works here"
/// (end-to-end tests wait for it before clicking).
#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! { <span hidden=true></span> }
}
