//! One labelled input of a plain form, and what the server said about it. A refused form comes
//! back (with or without JavaScript) as `?error=<code>&field=<name>`: the field named is marked
//! `aria-invalid`, its error is written beside it and tied to it by `aria-describedby`, and it
//! takes the focus; what the reader typed (never a password) is filled in again.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::password_repeat::PasswordRepeat;

pub const FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-sky-500 focus:outline-2 focus:outline-sky-700 aria-[invalid=true]:border-rose-700";

/// The last attempt's outcome, read from the address once (the page is drawn from it).
#[derive(Debug, Clone, Default)]
pub struct Refusal {
    /// The error code, when the last attempt failed.
    pub code: Option<String>,
    /// The field the server refused, if it named one.
    pub field: Option<String>,
    /// The e-mail address typed, when the form sent it back.
    pub email: Option<String>,
}

impl Refusal {
    pub fn from_query() -> Self {
        let query = use_query_map();
        query.with_untracked(|q| Refusal {
            code: q.get("error"),
            field: q.get("field"),
            email: q.get("email"),
        })
    }

    /// Whether the server refused the field named `name`.
    pub fn is(&self, name: &str) -> bool {
        self.field.as_deref() == Some(name)
    }

    /// A failure that names no field (or one the form does not show, such as a link's token).
    pub fn general(&self, shown: &[&str]) -> Option<&str> {
        let about_a_field = self.field.as_deref().is_some_and(|f| shown.contains(&f));
        self.code.as_deref().filter(|_| !about_a_field)
    }
}

/// A labelled, required input. `error` is the text beside it when the server refused it;
/// `flagged` marks it refused without text of its own, described by the element with that ID.
#[component]
pub fn FormField(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = None)] error: Option<&'static str>,
    #[prop(default = None)] flagged: Option<&'static str>,
    #[prop(optional)] minlength: Option<u32>,
    #[prop(default = FIELD)] class: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error.map(|_| error_id.clone()).or(flagged.map(str::to_string));
    let invalid = described.is_some();
    view! {
        <div>
            <label for=id class="block text-sm font-medium text-slate-700">{label}</label>
            <input id=id name=name.unwrap_or(id) type=kind autocomplete=autocomplete required=true minlength=minlength
                value=value class=class aria-invalid=if invalid { "true" } else { "false" } aria-describedby=described
                autofocus=invalid />
            {error.map(|text| view! { <p id=error_id class="mt-1 text-sm text-rose-800">{text}</p> })}
        </div>
    }
}

/// The "password again" field (ID `repeat`): checked against the field `against` as the reader
/// types (see [`PasswordRepeat`]), and marked with `mismatch` beside it when the server refused it.
#[component]
pub fn RepeatField(
    label: &'static str,
    against: &'static str,
    mismatch: &'static str,
    refused: bool,
) -> impl IntoView {
    view! {
        <div>
            <label for="repeat" class="block text-sm font-medium text-slate-700">{label}</label>
            <PasswordRepeat class=FIELD.to_string() against=against.to_string() invalid=refused mismatch=mismatch.to_string() />
            {refused.then(|| view! { <p id="repeat-error" class="mt-1 text-sm text-rose-800">{mismatch}</p> })}
        </div>
    }
}
