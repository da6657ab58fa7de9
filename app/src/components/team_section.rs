//! The people who see a subscription's project: its members, who is invited, an invitation form
//! for every member and a remove button for owners.

use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;

use crate::api::customers::{InviteMember, RemoveMember, subscription_team};
use crate::components::form_field::{FormField, Refusal};
use crate::i18n::{CustomerText, FormText, use_locale};

const INVITE_FIELD: &str = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:outline-2 focus:outline-sky-700 aria-[invalid=true]:border-rose-700";
const SMALL: &str = "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50";

/// The team card on a subscription's status page.
#[component]
pub fn TeamSection(subscription_id: String) -> impl IntoView {
    let locale = use_locale();
    let id = subscription_id.clone();
    let team = Resource::new(move || id.clone(), subscription_team);
    // The last invitation: sent, or refused (the address typed comes back). Another form's
    // refusal on this page is not the invitation's.
    let (invited, mine) = leptos_router::hooks::use_query_map()
        .with_untracked(|q| (q.get("invited").is_some(), q.get("form").as_deref() == Some("invite")));
    let refusal = if mine { Refusal::from_query() } else { Refusal::default() };
    let typed =
        if refusal.code.is_some() { refusal.email.clone().unwrap_or_default() } else { String::new() };
    let wrong_email = refusal.is("email");
    let general = refusal.general(&["email"]).map(|code| match code {
        "rate_limited" => CustomerText::InvitesPaused,
        "conflict" => CustomerText::InvitesFull,
        _ => CustomerText::InviteNotSent,
    });
    view! {
        <section aria-labelledby="team" class="rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-sm">
            <h2 id="team" class="font-semibold">{locale.t(CustomerText::Team)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let (subscription_id, typed) = (subscription_id.clone(), typed.clone());
                    Suspend::new(async move {
                        team.await.ok().map(|team| view! {
                            <ul class="mt-2 space-y-1.5">
                                {team.members.into_iter().map(|member| {
                                    let remove = (team.can_remove && !member.owner).then(|| view! {
                                        <form method="post" action=RemoveMember::url()>
                                            <input type="hidden" name="subscription_id" value=subscription_id.clone() />
                                            <input type="hidden" name="member_id" value=member.customer_id.clone() />
                                            <button type="submit" class=SMALL aria-label=locale.f(CustomerText::RemoveMember, &[("email", &member.email)])>
                                                {locale.t(CustomerText::Remove)}
                                            </button>
                                        </form>
                                    });
                                    view! {
                                        <li class="flex items-center justify-between gap-2">
                                            <span class="break-all">{member.email.clone()}
                                                {member.owner.then(|| view! { <span class="ml-1 text-xs text-slate-500">{locale.t(CustomerText::Owner)}</span> })}
                                            </span>
                                            {remove}
                                        </li>
                                    }
                                }).collect_view()}
                                {team.invited.into_iter().map(|email| view! {
                                    <li class="text-slate-500">{email} " · " {locale.t(CustomerText::Invited)}</li>
                                }).collect_view()}
                            </ul>
                            {invited.then(|| view! {
                                <p role="status" class="mt-3 rounded-md border border-emerald-200 bg-emerald-50 px-2 py-1 text-emerald-900">{locale.t(FormText::InviteSent)}</p>
                            })}
                            {general.map(|text| view! { <p role="alert" class="mt-3 rounded-md border border-rose-200 bg-rose-50 px-2 py-1 text-rose-900">{locale.t(text)}</p> })}
                            <form method="post" action=InviteMember::url() class="mt-3 space-y-2">
                                <input type="hidden" name="subscription_id" value=subscription_id.clone() />
                                <div class="flex items-end gap-2">
                                    <div class="grow">
                                        <FormField id="invite-email" name="email" label=locale.t(CustomerText::InviteLabel) kind="email" autocomplete="off"
                                            value=typed error=wrong_email.then(|| locale.t(FormText::EmailInvalid)) class=INVITE_FIELD />
                                    </div>
                                    <button type="submit" class="whitespace-nowrap rounded-md bg-slate-900 px-3 py-1 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700">{locale.t(CustomerText::Invite)}</button>
                                </div>
                            </form>
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}
