//! Marks the page as interactive once the browser has run the wasm, and tells the server the
//! viewer's time zone for the pages that follow.

use leptos::prelude::*;

/// An island that sets `data-hydrated="true"` on `<body>` when islands come alive (end-to-end
/// tests wait for it before clicking), and stores the browser's IANA time zone in the
/// `orderdesk_tz` cookie when it differs, so the server renders times in it from then on.
#[island]
pub fn HydrationMarker() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
        remember_time_zone();
    });
    view! { <span hidden=true></span> }
}

fn remember_time_zone() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
            .resolved_options();
        let Some(zone) = js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|z| z.as_string())
        else {
            return;
        };
        let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() else { return };
        let name = crate::i18n::ZONE_COOKIE;
        let wanted = format!("{name}={}", zone.replace('/', "%2F"));
        let current = document.cookie().unwrap_or_default();
        if !current.split("; ").any(|pair| pair == wanted) {
            let _ = document.set_cookie(&format!("{wanted}; Path=/; Max-Age=31536000; SameSite=Lax"));
        }
    }
}
