//! The links out: mail (step 5: the relay connects, negotiates TLS as configured and signs in,
//! no mail sent) and the webhook (step 6: a signed `ping` and its answer).

use app::i18n::CheckText;
use app::model::CheckOutcome;

use super::Lines;
use crate::config::Config;
use crate::db::Database;
use crate::mail::Mailer;

/// Step 5.
pub(super) async fn mail(config: &Config, db: &Database, lines: &mut Lines) {
    let mailer = match Mailer::new(config.mail_settings(), db) {
        Ok(mailer) => mailer,
        Err(error) => return lines.fail(5, CheckText::Mail, format!("{error:#}"), CheckText::MailRefused),
    };
    if mailer.captures() {
        let detail = lines.t(CheckText::MailCaptured);
        return lines.add(
            5,
            CheckText::Mail,
            CheckOutcome::Warn,
            detail,
            Some(CheckText::MailCapturedAdvice),
        );
    }
    match mailer.probe().await {
        Ok(host) => {
            let detail = lines.f(CheckText::MailConnected, &[("host", &host)]);
            lines.pass(5, CheckText::Mail, detail);
        }
        Err(error) => lines.fail(5, CheckText::Mail, format!("{error:#}"), CheckText::MailRefused),
    }
}

/// Step 6.
pub(super) async fn webhook(config: &Config, lines: &mut Lines) {
    let (Some(url), Some(secret)) = (&config.webhook_url, &config.webhook_secret) else {
        let detail = lines.t(CheckText::WebhookOff);
        return lines.add(6, CheckText::Webhook, CheckOutcome::Skipped, detail, None);
    };
    let hook = match crate::webhooks::Webhook::new(url.clone(), secret.clone()) {
        Ok(hook) => hook,
        Err(error) => return lines.fail(6, CheckText::Webhook, format!("{error:#}"), CheckText::WebhookBad),
    };
    match crate::webhooks::ping(&hook).await {
        Ok(status) => {
            // Scheme and host only: a receiver's address often carries a token of its own.
            let shown = reqwest::Url::parse(url)
                .map(|u| format!("{}://{}", u.scheme(), u.host_str().unwrap_or_default()))
                .unwrap_or_default();
            let detail =
                lines.f(CheckText::WebhookAnswered, &[("url", &shown), ("status", &status.to_string())]);
            if (200..300).contains(&status) {
                lines.pass(6, CheckText::Webhook, detail);
            } else {
                lines.fail(6, CheckText::Webhook, detail, CheckText::WebhookBad);
            }
        }
        Err(error) => lines.fail(6, CheckText::Webhook, error, CheckText::WebhookBad),
    }
}
