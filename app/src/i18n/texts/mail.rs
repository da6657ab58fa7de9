//! The mails Orderdesk sends, in both languages. Plain text; `{link}` and the like are filled in
//! when the mail is queued.

texts! {
    /// Mails to customers and operators.
    MailText {
        VerifySubject: "Confirm your e-mail address", "Bestätigen Sie Ihre E-Mail-Adresse";
        ReceivedSubject: "Your order of {product}: we are setting it up", "Ihre Bestellung von {product}: Wir richten sie ein";
        ReceivedBody: "Hello,\n\nthank you for ordering {product} ({plan}) through the STACKIT Marketplace. {vendor} is now setting it up for you; it will be ready by {expected} at the latest, and billing starts only then.\n\nFollow the setup here:\n\n{link}\n", "Guten Tag,\n\nvielen Dank für Ihre Bestellung von {product} ({plan}) über den STACKIT Marketplace. {vendor} richtet sie jetzt für Sie ein; sie ist spätestens am {expected} bereit, und erst dann beginnt die Abrechnung.\n\nDie Einrichtung verfolgen Sie hier:\n\n{link}\n";
        StepSubject: "{product}: “{step}” is done", "{product}: „{step}“ ist erledigt";
        StepBody: "Hello,\n\nthe setup of {product} moved on: “{step}” is done.\n\nSee where it stands:\n\n{link}\n", "Guten Tag,\n\ndie Einrichtung von {product} ist vorangekommen: „{step}“ ist erledigt.\n\nDen Stand sehen Sie hier:\n\n{link}\n";
        ActiveSubject: "{product} is ready", "{product} ist bereit";
        ActiveBody: "Hello,\n\n{vendor} has finished setting up {product}. Your instance:\n\n{instance}\n\nBilling through STACKIT starts now. Your subscription: {link}\n", "Guten Tag,\n\n{vendor} hat die Einrichtung von {product} abgeschlossen. Ihre Instanz:\n\n{instance}\n\nAb jetzt rechnet STACKIT ab. Ihr Abonnement: {link}\n";
        NewOrderSubject: "New order: {product}", "Neuer Auftrag: {product}";
        NewOrderBody: "A new order of {product} for STACKIT project {project} waits for setup and approval, due by {due}.\n\n{link}\n", "Ein neuer Auftrag von {product} für das STACKIT-Projekt {project} wartet auf Einrichtung und Freigabe, fällig bis {due}.\n\n{link}\n";
        BacklogSubject: "Orders waiting for approval: {count}", "Aufträge, die auf Freigabe warten: {count}";
        BacklogBody: "Orderdesk's first sync with STACKIT found orders of your products waiting for setup and approval: {count}. They are listed under Orders, the nearest deadline first; from now on each new order gets a mail of its own. Deadlines already near and subscriptions that already ended get no mail each: the list of orders shows them, the nearest deadline first, and by state.\n\n{link}\n", "Die erste Synchronisierung von Orderdesk mit STACKIT hat Aufträge Ihrer Produkte gefunden, die auf Einrichtung und Freigabe warten: {count}. Sie stehen unter „Aufträge“, die nächste Frist zuerst; ab jetzt erhält jeder neue Auftrag eine eigene Mail. Für schon nahe Fristen und schon beendete Abonnements kommt keine einzelne Mail: Die Auftragsliste zeigt sie, die nächste Frist zuerst, und nach Status.\n\n{link}\n";
        DeadlineSubject: "Approve within {days} days: {product} for project {project}", "Innerhalb von {days} Tagen freigeben: {product} für Projekt {project}";
        DeadlineBody: "The order of {product} for STACKIT project {project} is still waiting for approval. STACKIT closes it unapproved ({state}) on {due} if nobody approves it before.\n\n{link}\n", "Der Auftrag von {product} für das STACKIT-Projekt {project} wartet noch auf Freigabe. STACKIT schließt ihn am {due} ohne Freigabe ({state}), wenn ihn bis dahin niemand freigibt.\n\n{link}\n";
        DeprovisionSubject: "Deprovision: {product} for project {project} has ended", "Abbauen: {product} für Projekt {project} ist beendet";
        DeprovisionBody: "The customer cancelled {product} for STACKIT project {project}; the subscription ended on {ended}. Remove their instance and data as your terms say.\n\n{link}\n", "Der Kunde hat {product} für das STACKIT-Projekt {project} gekündigt; das Abonnement endete am {ended}. Entfernen Sie Instanz und Daten, wie es Ihre Bedingungen vorsehen.\n\n{link}\n";
        InviteSubject: "{inviter} invites you to follow a subscription", "{inviter} lädt Sie ein, ein Abonnement zu verfolgen";
        InviteBody: "Hello,\n\n{inviter} invites you to see the setup and status of your team's subscriptions. Open this link and create an account (or sign in):\n\n{link}\n\nThe link works for 7 days.\n", "Guten Tag,\n\n{inviter} lädt Sie ein, Einrichtung und Status der Abonnements Ihres Teams zu sehen. Öffnen Sie diesen Link und legen Sie ein Konto an (oder melden Sie sich an):\n\n{link}\n\nDer Link gilt 7 Tage.\n";
        ResetSubject: "Reset your password", "Passwort zurücksetzen";
        ExistsSubject: "You already have an account with {vendor}", "Sie haben schon ein Konto bei {vendor}";
        ExistsBody: "Hello,\n\nsomeone (maybe you) just tried to create an account with {vendor} for this address, which already has one. Nothing was changed.\n\nTo sign in: {login}\nForgot your password? {forgot}\n\nIf it was not you, ignore this mail.\n", "Guten Tag,\n\njemand (vielleicht Sie) wollte eben bei {vendor} ein Konto für diese Adresse anlegen, die schon eines hat. Es wurde nichts geändert.\n\nAnmelden: {login}\nPasswort vergessen? {forgot}\n\nWaren Sie das nicht, ignorieren Sie diese Mail.\n";
        ResetBody: "Hello,\n\nsomeone asked to reset the password of your account. To choose a new one, open this link:\n\n{link}\n\nThe link works for one hour. If it was not you, ignore this mail: your password stays as it is.\n", "Guten Tag,\n\njemand hat verlangt, das Passwort Ihres Kontos zurückzusetzen. Um ein neues zu wählen, öffnen Sie diesen Link:\n\n{link}\n\nDer Link gilt eine Stunde. Waren Sie das nicht, ignorieren Sie diese Mail: Ihr Passwort bleibt, wie es ist.\n";
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
        Retry: "Retry now", "Jetzt wiederholen";
        Webhook: "Webhook deliveries", "Webhook-Zustellungen";
        WebhookTo: "Order events are signed and sent to {url}.", "Auftragsereignisse werden signiert an {url} gesendet.";
        NoWebhook: "No webhook is configured (ORDERDESK_WEBHOOK_URL).", "Es ist kein Webhook eingerichtet (ORDERDESK_WEBHOOK_URL).";
        NoDeliveries: "No deliveries yet.", "Noch keine Zustellungen.";
        Event: "Event", "Ereignis";
        State: "State", "Status";
        Attempts: "Attempts", "Versuche";
        LastError: "Last error", "Letzter Fehler";
    }
}
