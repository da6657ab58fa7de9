//! Mail: composed in the reader's language when the cause happens, queued in the `jobs` table in
//! the same transaction, and sent by the job runner with retries, through SMTP or, without an SMTP
//! URL, into the `captured_mails` table that admins read in the console (nothing leaves the machine).

use anyhow::Context as _;
use app::i18n::{Locale, MailText};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::db::{Database, jobs::NewJob};

pub mod notify;
pub mod smtp_url;

/// The kind of job that sends one mail.
pub const JOB_KIND: &str = "mail";
/// Attempts before a mail is given up (the runner waits longer after each).
const MAX_ATTEMPTS: i64 = 8;

/// One mail, ready to send. Plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// A mail from a subject and a body text, with the body's placeholders filled.
    pub fn compose(
        to: &str,
        locale: Locale,
        subject: MailText,
        body: MailText,
        values: &[(&str, &dyn std::fmt::Display)],
    ) -> Mail {
        Mail { to: to.to_string(), subject: locale.f(subject, values), body: locale.f(body, values) }
    }

    /// "Confirm your e-mail address", with the link.
    pub fn verify_address(locale: Locale, to: &str, vendor: &str, link: &str) -> Mail {
        Mail {
            to: to.to_string(),
            subject: locale.t(MailText::VerifySubject).to_string(),
            body: locale.f(MailText::VerifyBody, &[("vendor", &vendor), ("link", &link)]),
        }
    }

    /// "You are invited", with the link and who invited.
    pub fn invite(locale: Locale, to: &str, inviter: &str, link: &str) -> Mail {
        Mail::compose(
            to,
            locale,
            MailText::InviteSubject,
            MailText::InviteBody,
            &[("inviter", &inviter), ("link", &link)],
        )
    }

    /// "You already have an account": the answer to a registration for a taken address, sent to
    /// its owner instead of telling the person who registered.
    pub fn account_exists(locale: Locale, to: &str, vendor: &str, origin: &str) -> Mail {
        let (login, forgot) = (format!("{origin}/my/login"), format!("{origin}/my/forgot"));
        Mail {
            to: to.to_string(),
            subject: locale.f(MailText::ExistsSubject, &[("vendor", &vendor)]),
            body: locale
                .f(MailText::ExistsBody, &[("vendor", &vendor), ("login", &login), ("forgot", &forgot)]),
        }
    }

    /// "Reset your password", with the link.
    pub fn reset_password(locale: Locale, to: &str, link: &str) -> Mail {
        Mail {
            to: to.to_string(),
            subject: locale.t(MailText::ResetSubject).to_string(),
            body: locale.f(MailText::ResetBody, &[("link", &link)]),
        }
    }

    /// The job that sends this mail.
    pub fn job(&self) -> NewJob<'static> {
        NewJob {
            kind: JOB_KIND,
            payload: serde_json::to_value(self).unwrap_or_default(),
            max_attempts: MAX_ATTEMPTS,
            dedupe_key: None,
        }
    }
}

/// How mail leaves (from the configuration).
#[derive(Debug, Clone, Copy)]
pub struct MailSettings<'a> {
    /// The relay (`ORDERDESK_SMTP_URL`); none: mail is captured in the database.
    pub smtp_url: Option<&'a SecretString>,
    /// The sender (`ORDERDESK_MAIL_FROM`).
    pub from: &'a str,
    /// Certificate authorities to trust for the relay besides the public ones.
    pub ca_file: Option<&'a std::path::Path>,
    /// Whether captured mails keep their one-time links readable.
    pub show_links: bool,
}

/// Where mails go.
#[derive(Clone)]
pub enum Mailer {
    /// Into the database, for the console's outbox (demo mode, tests, no SMTP configured);
    /// one-time links kept readable only when `show_links` (`ORDERDESK_SHOW_CAPTURED_LINKS`).
    Capture {
        db: Database,
        show_links: bool,
    },
    Smtp(Box<Smtp>),
}

/// `body` with the secret of every one-time link (`token=…`) replaced, for captured mails that
/// admins must not be able to follow.
pub fn redact_links(body: &str) -> String {
    const KEY: &str = "token=";
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let secret = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '%'))
            .unwrap_or(after.len());
        if secret > 0 {
            out.push_str("[hidden]");
        }
        rest = &after[secret..];
    }
    out.push_str(rest);
    out
}

/// An SMTP relay and the sender Orderdesk's mails come from.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The relay's host, for the set-up check.
    host: String,
}

/// TLS for the relay `host` trusting the certificate authorities in the PEM file `path` too.
fn tls_trusting(host: &str, path: &std::path::Path) -> anyhow::Result<TlsParameters> {
    let pem =
        std::fs::read(path).with_context(|| format!("reading ORDERDESK_SMTP_CA_FILE {}", path.display()))?;
    let authority = Certificate::from_pem(&pem).map_err(|error| {
        anyhow::anyhow!("ORDERDESK_SMTP_CA_FILE {} holds no certificate: {error}", path.display())
    })?;
    TlsParameters::builder(host.to_string())
        .add_root_certificate(authority)
        .build()
        .map_err(|error| anyhow::anyhow!("TLS settings for the SMTP relay: {error}"))
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mailer::Capture { .. } => "Mailer::Capture",
            Mailer::Smtp(_) => "Mailer::Smtp",
        })
    }
}

impl Mailer {
    /// SMTP when a URL is configured, else capture (links readable only with `show_links`). A
    /// malformed URL or sender stops start-up.
    pub fn new(settings: MailSettings<'_>, db: &Database) -> anyhow::Result<Mailer> {
        let Some(url) = settings.smtp_url else {
            return Ok(Mailer::Capture { db: db.clone(), show_links: settings.show_links });
        };
        let from = settings.from;
        let from = from
            .parse::<Mailbox>()
            .with_context(|| format!("ORDERDESK_MAIL_FROM={from:?} is not a mail address"))?;
        let url = smtp_url::parse(url.expose_secret())
            .map_err(|reason| anyhow::anyhow!("ORDERDESK_SMTP_URL {reason}"))?;
        if url.protection == smtp_url::Protection::Plain {
            tracing::warn!("mail goes to the SMTP relay without TLS (a relay on this machine, or ?tls=none)");
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.lettre_url)
            .map_err(|_| anyhow::anyhow!("ORDERDESK_SMTP_URL is not a valid smtp:// or smtps:// URL"))?
            .timeout(Some(std::time::Duration::from_secs(30)));
        if let Some(path) = settings.ca_file {
            let parameters = tls_trusting(&url.host, path)?;
            builder = match url.protection {
                smtp_url::Protection::Tls => builder.tls(Tls::Wrapper(parameters)),
                smtp_url::Protection::StartTls => builder.tls(Tls::Required(parameters)),
                smtp_url::Protection::Plain => builder,
            };
        }
        let transport = builder.build();
        Ok(Mailer::Smtp(Box::new(Smtp { transport, from, host: url.host.clone() })))
    }

    /// For the set-up check: connects to the relay, negotiates TLS as configured and signs in,
    /// sending nothing; the relay's host. Captured mail has nothing to connect to.
    pub async fn probe(&self) -> anyhow::Result<String> {
        match self {
            Mailer::Capture { .. } => Ok(String::new()),
            Mailer::Smtp(smtp) => {
                let connected =
                    smtp.transport.test_connection().await.context("connecting to the SMTP relay")?;
                anyhow::ensure!(connected, "the SMTP relay did not answer as one");
                Ok(smtp.host.clone())
            }
        }
    }

    /// Whether mails stay in the database.
    pub fn captures(&self) -> bool {
        matches!(self, Mailer::Capture { .. })
    }

    /// Sends one mail; an error is worth retrying later.
    pub async fn send(&self, mail: &Mail) -> anyhow::Result<()> {
        match self {
            Mailer::Capture { db, show_links } => {
                let body = if *show_links { mail.body.clone() } else { redact_links(&mail.body) };
                crate::db::mails::capture(db.pool(), &mail.to, &mail.subject, &body)
                    .await
                    .context("capturing a mail")?;
                Ok(())
            }
            Mailer::Smtp(smtp) => {
                let Smtp { transport, from, .. } = smtp.as_ref();
                let to = mail
                    .to
                    .parse::<Mailbox>()
                    .with_context(|| format!("{:?} is not a mail address", mail.to))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&mail.subject)
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .context("composing a mail")?;
                transport.send(message).await.context("sending a mail by SMTP")?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_are_written_in_the_readers_language() {
        let link = "https://orders.vendor.example/verify?token=abc";
        let english = Mail::verify_address(Locale::En, "ada@customer.example", "DataVault", link);
        assert_eq!(english.subject, "Confirm your e-mail address");
        assert!(english.body.contains(link) && english.body.contains("DataVault"));
        let german = Mail::verify_address(Locale::De, "ada@customer.example", "DataVault", link);
        assert!(german.subject.starts_with("Bestätigen") && german.body.contains(link));
        assert_eq!(english.job().kind, JOB_KIND);
    }

    #[test]
    fn captured_links_lose_their_secret_and_keep_the_rest() {
        let body = "Open https://o.example/my/reset?token=Ab-9_x%3D within the hour.\nOr token= alone.";
        assert_eq!(
            redact_links(body),
            "Open https://o.example/my/reset?token=[hidden] within the hour.\nOr token= alone."
        );
        assert_eq!(redact_links("no links"), "no links");
    }
}
