//! The customer side: arriving from STACKIT, the account, the subscriptions and their status.

texts! {
    /// Pages customers see.
    CustomerText {
        MySubscriptions: "My subscriptions", "Meine Abonnements";
        SignOut: "Sign out", "Abmelden";
        SignIn: "Sign in", "Anmelden";
        Register: "Create account", "Konto anlegen";
        EmailAddress: "E-mail address", "E-Mail-Adresse";
        Password: "Password", "Passwort";
        NewPassword: "Password (at least 10 characters)", "Passwort (mindestens 10 Zeichen)";
        PasswordAgain: "Password again", "Passwort wiederholen";
        WelcomeTitle: "Welcome", "Willkommen";
        WelcomeIntro: "You ordered {product} ({plan}) through the STACKIT Marketplace. Create an account with {vendor} to follow its setup; if you have one, sign in and we add this subscription to it.", "Sie haben {product} ({plan}) über den STACKIT Marketplace bestellt. Legen Sie ein Konto bei {vendor} an, um die Einrichtung zu verfolgen; haben Sie schon eines, melden Sie sich an und wir fügen das Abonnement hinzu.";
        WelcomeWithout: "Create an account to follow the setup of what you ordered through the STACKIT Marketplace.", "Legen Sie ein Konto an, um die Einrichtung Ihrer Bestellung aus dem STACKIT Marketplace zu verfolgen.";
        HaveAccount: "Already have an account?", "Sie haben schon ein Konto?";
        NoAccount: "No account yet? Open the product from the STACKIT portal to register.", "Noch kein Konto? Öffnen Sie das Produkt im STACKIT-Portal, um sich zu registrieren.";
        LoginTitle: "Sign in to your subscriptions", "Bei Ihren Abonnements anmelden";
        LoginFailed: "That e-mail address and password do not match an account.", "E-Mail-Adresse und Passwort passen zu keinem Konto.";
        RegisterFailed: "The account was not created: check the address, use at least 10 characters and type the password twice the same. If you have an account, sign in instead.", "Das Konto wurde nicht angelegt: Prüfen Sie die Adresse, verwenden Sie mindestens 10 Zeichen und geben Sie das Passwort zweimal gleich ein. Haben Sie schon ein Konto, melden Sie sich an.";
        TooManyAttempts: "Too many failed attempts. Wait 15 minutes, then try again.", "Zu viele Fehlversuche. Warten Sie 15 Minuten und versuchen Sie es dann erneut.";
        Unverified: "Please confirm your e-mail address: we sent you a link.", "Bitte bestätigen Sie Ihre E-Mail-Adresse: Wir haben Ihnen einen Link geschickt.";
        NoSubscriptions: "No subscriptions yet. Order the product in the STACKIT portal, or open it there again to link an existing order.", "Noch keine Abonnements. Bestellen Sie das Produkt im STACKIT-Portal oder öffnen Sie es dort erneut, um eine Bestellung zu verknüpfen.";
        Product: "Product", "Produkt";
        Project: "Project", "Projekt";
        Status: "Status", "Status";
        Progress: "Setup", "Einrichtung";
        StepsDone: "{done} of {total} steps done", "{done} von {total} Schritten erledigt";
        OrderedAt: "Ordered", "Bestellt";
        ExpectedBy: "Expected ready by", "Voraussichtlich fertig bis";
        WhatNext: "What happens next", "Wie es weitergeht";
        NextBeingSetUp: "{vendor} is setting up your instance. You get a mail when it is ready; billing starts only then.", "{vendor} richtet Ihre Instanz ein. Sie erhalten eine Mail, sobald sie bereit ist; erst dann beginnt die Abrechnung.";
        NextActive: "Your instance is ready. Billing through STACKIT has started.", "Ihre Instanz ist bereit. Die Abrechnung über STACKIT hat begonnen.";
        NextSuspended: "STACKIT has suspended this subscription. Check your STACKIT account or ask STACKIT's support.", "STACKIT hat dieses Abonnement ausgesetzt. Prüfen Sie Ihr STACKIT-Konto oder wenden Sie sich an den STACKIT-Support.";
        NextCancelling: "This subscription is cancelled and ends at the end of its notice period.", "Dieses Abonnement ist gekündigt und endet mit Ablauf der Kündigungsfrist.";
        NextEnded: "This subscription has ended. To use the product again, order it in the STACKIT portal.", "Dieses Abonnement ist beendet. Um das Produkt wieder zu nutzen, bestellen Sie es im STACKIT-Portal.";
        OpenInstance: "Open your instance", "Instanz öffnen";
        Steps: "Setup steps", "Einrichtungsschritte";
        NoSteps: "The vendor lists no steps for you to follow.", "Der Anbieter führt keine Schritte für Sie auf.";
        Done: "done", "erledigt";
        Open: "open", "offen";
        Contact: "Questions?", "Fragen?";
        ContactVendor: "Contact {vendor}", "{vendor} kontaktieren";
        PhaseBeingSetUp: "Being set up", "Wird eingerichtet";
        PhaseActive: "Active", "Aktiv";
        PhaseSuspended: "Suspended", "Ausgesetzt";
        PhaseCancelling: "Cancelling", "Wird gekündigt";
        PhaseCancelled: "Cancelled", "Gekündigt";
        PhaseTimedOut: "Timed out", "Frist abgelaufen";
        PhaseDeclined: "Declined", "Abgelehnt";
        PhaseUnknown: "Unknown", "Unbekannt";
        BackToList: "← My subscriptions", "← Meine Abonnements";
        SignupFailedTitle: "This link did not work", "Dieser Link hat nicht funktioniert";
        SignupInvalid: "The link from STACKIT is incomplete or not genuine.", "Der Link von STACKIT ist unvollständig oder nicht echt.";
        SignupExpired: "The link from STACKIT has expired.", "Der Link von STACKIT ist abgelaufen.";
        SignupUsed: "The link from STACKIT was used already, perhaps in another browser.", "Der Link von STACKIT wurde schon benutzt, vielleicht in einem anderen Browser.";
        SignupUnreachable: "We could not reach STACKIT to look up your order. Nothing was created.", "Wir konnten STACKIT nicht erreichen, um Ihre Bestellung abzurufen. Es wurde nichts angelegt.";
        SignupInternal: "Something went wrong on our side. Nothing was created.", "Bei uns ist etwas schiefgegangen. Es wurde nichts angelegt.";
        SignupWhatToDo: "Go back to the STACKIT portal and open the product again: that gives you a fresh link. If it keeps failing, tell us this reference: {reference}", "Gehen Sie zurück ins STACKIT-Portal und öffnen Sie das Produkt erneut: So erhalten Sie einen neuen Link. Klappt es weiterhin nicht, nennen Sie uns diese Referenz: {reference}";
        VerifyTitle: "E-mail address", "E-Mail-Adresse";
        Verified: "Thank you: your e-mail address is confirmed.", "Danke: Ihre E-Mail-Adresse ist bestätigt.";
        VerifyFailed: "This link is used, expired or unknown. Sign in to see whether your address is confirmed.", "Dieser Link ist benutzt, abgelaufen oder unbekannt. Melden Sie sich an, um zu sehen, ob Ihre Adresse bestätigt ist.";
        Loading: "Loading…", "Wird geladen…";
        Documentation: "Documentation", "Dokumentation";
        DocOnboarding: "Registering and signing in", "Registrieren und anmelden";
        DocUsage: "Using the product", "Das Produkt nutzen";
        DocMarketplace: "Buying through STACKIT", "Kaufen über STACKIT";
        RefreshNote: "This page updates itself while setup is under way.", "Diese Seite aktualisiert sich, solange die Einrichtung läuft.";
    }
}
