//! Texts about people: signing in, the own account, setting up an invited account, and the team.

texts! {
    /// The sign-in page.
    LoginText {
        SignIn: "Sign in", "Anmelden";
        Intro: "Orderdesk is for the vendor's staff. Customers sign in from their setup page.", "Orderdesk ist für die Mitarbeitenden des Anbieters. Kundinnen und Kunden melden sich über ihre Einrichtungsseite an.";
        PasswordSaved: "Your password is saved. Sign in with it.", "Ihr Passwort ist gespeichert. Melden Sie sich damit an.";
        Email: "E-mail address", "E-Mail-Adresse";
        Password: "Password", "Passwort";
        Unauthorized: "That e-mail address and password do not match an active account.", "E-Mail-Adresse und Passwort passen zu keinem aktiven Konto.";
        RateLimited: "Too many failed attempts. Wait 15 minutes, then try again.", "Zu viele fehlgeschlagene Versuche. Warten Sie 15 Minuten und versuchen Sie es dann erneut.";
        Unavailable: "Orderdesk cannot reach its database right now. Try again in a minute.", "Orderdesk erreicht seine Datenbank gerade nicht. Versuchen Sie es in einer Minute erneut.";
        Failed: "Signing in did not work. Try again.", "Die Anmeldung hat nicht geklappt. Versuchen Sie es erneut.";
    }
}

texts! {
    /// The signed-in operator's own account page.
    AccountText {
        Title: "Your account", "Ihr Konto";
        Changed: "Your password is changed. Your other sessions have ended.", "Ihr Passwort ist geändert. Ihre anderen Sitzungen wurden beendet.";
        Failed: "Changing the password did not work. Try again.", "Das Ändern des Passworts hat nicht geklappt. Versuchen Sie es erneut.";
        ChangePassword: "Change password", "Passwort ändern";
        Current: "Current password", "Aktuelles Passwort";
        New: "New password (at least 10 characters)", "Neues Passwort (mindestens 10 Zeichen)";
        Repeat: "New password again", "Neues Passwort wiederholen";
    }
}

texts! {
    /// The page where an invited operator chooses their password.
    SetupText {
        Title: "Set up your account", "Konto einrichten";
        Intro: "Choose the password you will sign in with.", "Wählen Sie das Passwort, mit dem Sie sich anmelden werden.";
        Password: "Password (at least 10 characters)", "Passwort (mindestens 10 Zeichen)";
        Repeat: "Password again", "Passwort wiederholen";
        Save: "Save password", "Passwort speichern";
    }
}

texts! {
    /// The operators page, where admins manage the team.
    OperatorsText {
        Intro: "The vendor's staff who work orders in Orderdesk.", "Die Mitarbeitenden des Anbieters, die Aufträge in Orderdesk bearbeiten.";
        LinkCreated: "Invitation created. Send this one-time setup link to the new operator (valid for 7 days; it is not shown again):", "Einladung erstellt. Senden Sie diesen einmaligen Einrichtungslink an das neue Teammitglied (7 Tage gültig; er wird nicht noch einmal angezeigt):";
        InvalidInvite: "Check the e-mail address (it may be taken) and the name.", "Prüfen Sie die E-Mail-Adresse (sie ist vielleicht schon vergeben) und den Namen.";
        Conflict: "You cannot demote or deactivate yourself; ask another admin.", "Sie können sich nicht selbst herabstufen oder deaktivieren; bitten Sie eine andere Person aus der Administration.";
        Name: "Name", "Name";
        Email: "E-mail", "E-Mail";
        Role: "Role", "Rolle";
        Status: "Status", "Status";
        Mails: "Mails", "E-Mails";
        NoMails: "None (viewers get no mails)", "Keine (Lesende erhalten keine E-Mails)";
        MailsAbout: "Language and time zone of the mails Orderdesk sends them: those of the browser they last signed in from.", "Sprache und Zeitzone der E-Mails, die Orderdesk ihnen sendet: die des Browsers, mit dem sie sich zuletzt angemeldet haben.";
        Actions: "Actions", "Aktionen";
        StatusDeactivated: "Deactivated", "Deaktiviert";
        StatusInvited: "Invited", "Eingeladen";
        StatusActive: "Active", "Aktiv";
        RoleOf: "Role of {name}", "Rolle von {name}";
        SaveRoleOf: "Save the role of {name}", "Rolle von {name} speichern";
        Save: "Save", "Speichern";
        Deactivate: "Deactivate {name}", "{name} deaktivieren";
        Reactivate: "Reactivate {name}", "{name} reaktivieren";
        InviteTitle: "Invite an operator", "Teammitglied einladen";
        EmailAddress: "E-mail address", "E-Mail-Adresse";
        CreateLink: "Create setup link", "Einrichtungslink erstellen";
    }
}

texts! {
    /// The automation API's tokens (`/api-tokens`, admins).
    ApiTokensText {
        Intro: "Tokens let the vendor's own systems (provisioning, billing, ticketing) read and work orders through the automation API. What a token does is recorded under its name.", "Mit Tokens lesen und bearbeiten die eigenen Systeme des Anbieters (Bereitstellung, Abrechnung, Ticketsystem) Aufträge über die Automatisierungs-API. Was ein Token tut, wird unter seinem Namen protokolliert.";
        Docs: "The API's description (OpenAPI)", "Beschreibung der API (OpenAPI)";
        CreatedNotice: "Token created. Copy it now: it is not shown again, and Orderdesk keeps only its hash.", "Token erstellt. Kopieren Sie es jetzt: Es wird nicht noch einmal angezeigt, und Orderdesk speichert nur seinen Hash.";
        Name: "Name", "Name";
        Role: "Role", "Rolle";
        CreatedAt: "Created", "Erstellt";
        Expires: "Expires", "Läuft ab";
        LastUsed: "Last used", "Zuletzt benutzt";
        Never: "never", "nie";
        NoExpiry: "no expiry", "kein Ablauf";
        Revoked: "revoked {when}", "widerrufen {when}";
        Expired: "expired", "abgelaufen";
        Revoke: "Revoke “{name}”", "„{name}“ widerrufen";
        Actions: "Actions", "Aktionen";
        Empty: "No tokens yet.", "Noch keine Tokens.";
        CreateTitle: "Create a token", "Token erstellen";
        Days: "Valid for (days, optional)", "Gültig für (Tage, optional)";
        Create: "Create token", "Token erstellen";
        RoleHint: "Viewer: reads orders. Operator: also ticks steps, notes, assigns, approves and rejects.", "Lesend: liest Aufträge. Bearbeitung: hakt außerdem Schritte ab, notiert, weist zu, gibt frei und lehnt ab.";
        NameRefused: "Name the token in 1 to 100 characters, not one another token has or had.", "Benennen Sie das Token mit 1 bis 100 Zeichen, nicht wie ein anderes bestehendes oder früheres Token.";
        DaysRefused: "Give 1 to 3650 days, or leave it empty.", "Geben Sie 1 bis 3650 Tage an oder lassen Sie das Feld leer.";
    }
}
