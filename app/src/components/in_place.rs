//! Actions on an order's page without a reload (with JavaScript): a form inside
//! `[data-in-place]` is sent in the background, the page the action returns to (with its
//! `?done=` message, see `components::flash`) is fetched as the browser would follow it, and its
//! changed parts are swapped in (`components::live` does the swapping). The focus goes where the
//! work goes on: after a tick to the next open step (or the message's Undo when none is left),
//! otherwise back to the control that was used. A failed action loads its page as without
//! JavaScript, with the error said there.

use leptos::prelude::*;

/// Mount once on a page whose forms should act in place.
#[island]
pub fn InPlace() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        submit::listen();
    });
    view! { <span hidden=true></span> }
}

#[cfg(feature = "hydrate")]
mod submit {
    use leptos::prelude::*;
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Element, HtmlElement, HtmlFormElement};

    use super::super::live::swap::Fresh as _;

    pub fn listen() {
        let handle = window_event_listener(leptos::ev::submit, |event| {
            let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
                return;
            };
            if form.closest("[data-in-place]").ok().flatten().is_none() || form.method() != "post" {
                return;
            }
            event.prevent_default();
            let label = event.submitter().and_then(|s| s.get_attribute("aria-label"));
            spawn_local(send(form, label));
        });
        // The page lives as long as the island: the listener too.
        std::mem::forget(handle);
    }

    async fn send(form: HtmlFormElement, label: Option<String>) {
        let action = form.action();
        let ticked = action.ends_with("/set_step") && field(&form, "done").as_deref() == Some("true");
        let Some((landed, page)) = post(&form, &action).await else {
            // Not answered as hoped: the browser's own submission says why.
            let _ = form.submit();
            return;
        };
        match super::super::live::swap::document(&page) {
            Some(fresh) if !landed.contains("error=") => {
                fresh.then_swap(&[], Some(&form));
            }
            // An error is said on the page it leads to, as without JavaScript.
            _ => {
                let _ = window().location().assign(&landed);
                return;
            }
        }
        form.reset();
        let _ = window()
            .history()
            .map(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&landed)));
        focus_after(ticked, label.as_deref());
    }

    /// Posts the form as the browser would: the address it was sent on to and that page.
    async fn post(form: &HtmlFormElement, action: &str) -> Option<(String, String)> {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        let headers = web_sys::Headers::new().ok()?;
        headers.set("accept", "text/html").ok()?;
        init.set_headers(&headers);
        let response = JsFuture::from(window().fetch_with_str_and_init(action, &init)).await.ok()?;
        let response: web_sys::Response = response.dyn_into().ok()?;
        if !response.ok() || !response.redirected() {
            return None;
        }
        let page = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        Some((response.url(), page))
    }

    fn field(form: &HtmlFormElement, name: &str) -> Option<String> {
        let input = form.query_selector(&format!("input[name=\"{name}\"]")).ok()??;
        input.dyn_into::<web_sys::HtmlInputElement>().ok().map(|i| i.value())
    }

    /// After a tick the next open step, else the message's Undo; otherwise the control used.
    fn focus_after(ticked: bool, label: Option<&str>) {
        let document = document();
        let found = |selector: &str| document.query_selector(selector).ok().flatten();
        let target: Option<Element> = if ticked {
            found("[data-shortcut=\"tick\"]").or_else(|| found("[data-undo]"))
        } else {
            label.and_then(|label| found(&format!("[aria-label=\"{}\"]", label.replace('"', "\\\""))))
        };
        let target = target.or_else(|| found("[data-flash]"));
        if let Some(element) = target.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }
}
