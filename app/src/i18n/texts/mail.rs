//! The mails Orderdesk sends, in both languages. Plain text; `{link}` and the like are filled in
//! when the mail is queued.

texts! {
    /// Mails to customers and operators.
    MailText {
        VerifySubject: "Confirm your e-mail address", "Bestätigen Sie Ihre E-Mail-Adresse";
        VerifyBody: "Hello,\n\nplease confirm your e-mail address for {vendor} by opening this link:\n\n{link}\n\nThe link works for 7 days. If you did not register, ignore this mail.\n", "Guten Tag,\n\nbitte bestätigen Sie Ihre E-Mail-Adresse bei {vendor} über diesen Link:\n\n{link}\n\nDer Link gilt 7 Tage. Wenn Sie sich nicht registriert haben, ignorieren Sie diese Mail.\n";
    }
}

texts! {
    /// The admins' outbox page.
    OutboxText {
        Title: "Outbox", "Postausgang";
        Capturing: "No SMTP server is configured (ORDERDESK_SMTP_URL), so Orderdesk keeps its mails here instead of sending them.", "Es ist kein SMTP-Server eingerichtet (ORDERDESK_SMTP_URL); Orderdesk hebt seine Mails deshalb hier auf, statt sie zu senden.";
        Sending: "Mail is sent through the configured SMTP server. Failed deliveries are retried and listed here.", "Mails gehen über den eingerichteten SMTP-Server hinaus. Fehlgeschlagene Zustellungen werden wiederholt und hier aufgeführt.";
        Failed: "Failed background work", "Fehlgeschlagene Hintergrundaufgaben";
        NoFailures: "Nothing has failed.", "Nichts ist fehlgeschlagen.";
        Retrying: "retrying ({attempts} attempts so far)", "wird wiederholt (bisher {attempts} Versuche)";
        GaveUp: "gave up after {attempts} attempts", "nach {attempts} Versuchen aufgegeben";
        Mails: "Captured mails", "Aufgehobene Mails";
        NoMails: "No mails yet. Mails appear here when customers register or orders change.", "Noch keine Mails. Sie erscheinen hier, wenn sich Kunden registrieren oder Aufträge sich ändern.";
        To: "To", "An";
    }
}
