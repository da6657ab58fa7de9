//! What admins configure: the connection to STACKIT (shown, never its secret) and the products.

use serde::{Deserialize, Serialize};

/// How Orderdesk reaches STACKIT, in words; secrets are never part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StackitInfo {
    pub api_url: String,
    pub vendor_project_id: Option<String>,
    /// e.g. "service-account key file /run/secrets/key.json (key 1a2b…)" or "static bearer token".
    pub credentials: String,
    pub redirect_keys_url: String,
}

/// What a customer reads of a checklist step in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wording {
    pub title: String,
    pub description: String,
}

/// What customers read of a checklist step, written to them, in each language. The operators'
/// title and description are internal: a customer never sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerWording {
    pub en: Wording,
    pub de: Wording,
}

impl CustomerWording {
    /// From a form: both titles are needed (a customer in either language reads one), the
    /// descriptions are optional; each is trimmed and kept short.
    pub fn parse(
        en_title: &str,
        en_description: &str,
        de_title: &str,
        de_description: &str,
    ) -> Result<CustomerWording, crate::error::AppError> {
        use crate::error::AppError;
        let title = |field: &str, value: &str| {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > 200 {
                return Err(AppError::invalid(
                    field,
                    "Write what the customer reads (at most 200 characters).",
                ));
            }
            Ok(value.to_string())
        };
        let description = |field: &str, value: &str| {
            let value = value.trim();
            if value.chars().count() > 2_000 {
                return Err(AppError::invalid(field, "Keep the description to 2,000 characters."));
            }
            Ok(value.to_string())
        };
        Ok(CustomerWording {
            en: Wording {
                title: title("customer_title_en", en_title)?,
                description: description("customer_description_en", en_description)?,
            },
            de: Wording {
                title: title("customer_title_de", de_title)?,
                description: description("customer_description_de", de_description)?,
            },
        })
    }

    /// The wording in `locale`; the English one where no German was written (steps from before
    /// customers had their own wording).
    pub fn in_locale(&self, locale: crate::i18n::Locale) -> &Wording {
        match locale {
            crate::i18n::Locale::De if !self.de.title.is_empty() => &self.de,
            _ => &self.en,
        }
    }
}

/// The stable key of a new template step titled `title`: its words in lower-case ASCII joined by
/// `-` (`Provision the customer's instance` → `provision-the-customer-s-instance`, at most 40
/// characters), then `-2`, `-3` … while `taken` says another step of the product has it.
pub fn step_key(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for c in title.trim().to_lowercase().chars() {
        let spelled = match c {
            'ä' => "ae".to_owned(),
            'ö' => "oe".to_owned(),
            'ü' => "ue".to_owned(),
            'ß' => "ss".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        };
        if spelled == "-" && (base.is_empty() || base.ends_with('-')) {
            continue;
        }
        base.push_str(&spelled);
    }
    base.truncate(40);
    let base = match base.trim_end_matches('-') {
        "" => "step".to_owned(),
        words => words.to_owned(),
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// One step of a product's checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateStep {
    pub id: String,
    /// The step's stable key (`provision`): what the automation API names it by.
    #[serde(default)]
    pub key: String,
    /// For operators.
    pub title: String,
    /// For operators.
    pub description: String,
    pub customer_visible: bool,
    /// What customers read of it (empty when they do not see it).
    #[serde(default)]
    pub customer: CustomerWording,
    /// Done on a plan change's new order when it was done on the previous one.
    #[serde(default)]
    pub carry_over: bool,
}

/// A product this vendor sells, with its approval window and checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSettings {
    pub product_id: String,
    pub display_name: String,
    pub approval_window_days: i64,
    pub steps: Vec<TemplateStep>,
}

/// The settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub stackit: StackitInfo,
    pub products: Vec<ProductSettings>,
}

/// A mail Orderdesk captured instead of sending (no SMTP configured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at_ms: i64,
}

/// A background job that failed at least once and is waiting to retry, or gave up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedJob {
    pub id: String,
    pub kind: String,
    /// `queued` (will retry) or `dead` (gave up).
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub updated_at_ms: i64,
}

/// The outbox page: captured mails, newest first, and jobs in trouble.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Whether mail is captured (no SMTP configured) rather than sent.
    pub capturing: bool,
    pub mails: Vec<CapturedMail>,
    pub failed: Vec<FailedJob>,
    /// Where order events are sent, when a webhook is configured.
    pub webhook_url: Option<String>,
    /// The latest webhook deliveries, newest first.
    pub deliveries: Vec<WebhookDelivery>,
}

/// One event delivered (or being delivered) to the webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDelivery {
    /// The job that carries it (for retrying).
    pub job_id: String,
    /// e.g. `order.approved`.
    pub event: String,
    /// `queued`, `running`, `done` or `dead`.
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub updated_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn customers_read_their_language_and_english_where_no_german_was_written() {
        let both = CustomerWording::parse(" Ready ", "", "Fertig", "Alles da.").unwrap();
        assert_eq!(both.in_locale(Locale::En).title, "Ready");
        assert_eq!(both.in_locale(Locale::De).description, "Alles da.");
        let older = CustomerWording { en: both.en.clone(), de: Wording::default() };
        assert_eq!(older.in_locale(Locale::De).title, "Ready");
    }

    #[test]
    fn both_titles_are_needed_and_kept_short() {
        assert!(CustomerWording::parse("", "", "Fertig", "").is_err());
        assert!(CustomerWording::parse("Ready", "", "  ", "").is_err());
        assert!(CustomerWording::parse(&"x".repeat(201), "", "Fertig", "").is_err());
        assert!(CustomerWording::parse("Ready", &"x".repeat(2_001), "Fertig", "").is_err());
    }

    #[test]
    fn a_step_key_is_the_title_in_words_and_unique_in_its_product() {
        let none = |_: &str| false;
        assert_eq!(
            super::step_key("Provision the customer's instance", none),
            "provision-the-customer-s-instance"
        );
        assert_eq!(super::step_key("  Zugangsdaten prüfen & senden ", none), "zugangsdaten-pruefen-senden");
        assert_eq!(super::step_key("!!!", none), "step");
        assert_eq!(super::step_key(&"long ".repeat(20), none).len(), 39, "at most 40, no dash at the end");
        let taken = |key: &str| key == "billing" || key == "billing-2";
        assert_eq!(super::step_key("Billing", taken), "billing-3");
    }
}
