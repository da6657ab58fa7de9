//! The "password again" field of a registration form. In the browser it tells at once, and
//! before the form is sent, when the two passwords differ (the browser's own message for an
//! invalid field, so the form is not submitted and focus goes to it); without JavaScript the
//! server says the same after sending.

use leptos::prelude::*;

/// The repeat field (ID and name `repeat`), checked against the field with ID `against`.
/// `invalid` marks it invalid (the server said the passwords differed, in `repeat-error`),
/// `mismatch` is the message, in the page's language.
#[island]
pub fn PasswordRepeat(class: String, against: String, invalid: bool, mismatch: String) -> impl IntoView {
    let check = move |event: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast as _;
            let Some(repeat) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let password = document()
                .get_element_by_id(&against)
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|e| e.value())
                .unwrap_or_default();
            let differs = !repeat.value().is_empty() && repeat.value() != password;
            repeat.set_custom_validity(if differs { &mismatch } else { "" });
            let _ = repeat.set_attribute("aria-invalid", if differs { "true" } else { "false" });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (event, &mismatch, &against);
    };
    view! {
        <input
            id="repeat"
            name="repeat"
            type="password"
            autocomplete="new-password"
            minlength="10"
            required=true
            class=class
            aria-invalid=if invalid { "true" } else { "false" }
            aria-describedby=invalid.then_some("repeat-error")
            autofocus=invalid
            on:input=check
        />
    }
}
