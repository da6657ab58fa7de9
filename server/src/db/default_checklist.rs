//! The checklist a new product starts with: a sensible first set-up for a SaaS async. product,
//! with what customers read of each visible step written to them in English and German.

/// One step of the default checklist: the operators' title and description, and what the
/// customer reads of it in English and German (`None`: an internal step).
pub struct DefaultStep {
    /// The step's stable key, for the automation API (`provision`).
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub customer: Option<[(&'static str, &'static str); 2]>,
}

/// The checklist a product gets when Orderdesk first sees it, until an admin changes it.
pub const DEFAULT_CHECKLIST: &[DefaultStep] = &[
    DefaultStep {
        key: "confirm",
        title: "Confirm the order with the customer",
        description: "Reply to the contact e-mail: what you need from them, and when to expect access.",
        customer: Some([
            (
                "We confirm your order",
                "We write to your contact e-mail to confirm the order and to say what we need from you.",
            ),
            (
                "Wir bestätigen Ihre Bestellung",
                "Wir schreiben an Ihre Kontaktadresse, bestätigen die Bestellung und sagen, was wir von Ihnen brauchen.",
            ),
        ]),
    },
    DefaultStep {
        key: "provision",
        title: "Provision the customer's instance",
        description: "Create the tenant and its first administrator.",
        customer: Some([
            ("We set up your instance", "We create your instance and its first administrator."),
            ("Wir richten Ihre Instanz ein", "Wir legen Ihre Instanz und ihren ersten Administrator an."),
        ]),
    },
    DefaultStep {
        key: "access-details",
        title: "Send the access details",
        description: "Send the instance address and first sign-in to the contact e-mail.",
        customer: Some([
            (
                "You receive your access details",
                "We send your instance's address and your first sign-in to your contact e-mail.",
            ),
            (
                "Sie erhalten Ihre Zugangsdaten",
                "Wir senden die Adresse Ihrer Instanz und Ihre erste Anmeldung an Ihre Kontaktadresse.",
            ),
        ]),
    },
    DefaultStep {
        key: "billing",
        title: "Record the customer in billing",
        description: "Internal: add the subscription to the billing system.",
        customer: None,
    },
];
