//! Texts used all over: lifecycle states, roles, times, the page frame and errors.

texts! {
    /// Lifecycle states of an order, as badges and filters show them.
    States {
        Unspecified: "Unspecified", "Nicht angegeben";
        Pending: "Pending approval", "Wartet auf Freigabe";
        Active: "Active", "Aktiv";
        Inactive: "Suspended", "Ausgesetzt";
        Cancelling: "Cancelling", "Wird gekündigt";
        Cancelled: "Cancelled", "Gekündigt";
        Rejected: "Rejected", "Abgelehnt";
        ApprovalTimedOut: "Approval timed out", "Freigabefrist abgelaufen";
        Unknown: "Unknown state", "Unbekannter Status";
    }
}

texts! {
    /// Operator roles.
    Roles {
        Viewer: "Viewer", "Lesend";
        Operator: "Operator", "Bearbeitung";
        Admin: "Administrator", "Administration";
    }
}

texts! {
    /// Where an order's contact e-mail came from.
    Sources {
        Stackit: "from STACKIT", "von STACKIT";
        Customer: "from the customer", "vom Kunden";
        Operator: "entered by an operator", "vom Team eingetragen";
    }
}

texts! {
    /// Distances in time.
    Time {
        Now: "now", "jetzt";
        InDays: "in {n} days", "in {n} Tagen";
        DaysAgo: "{n} days ago", "vor {n} Tagen";
        InHours: "in {n} hours", "in {n} Stunden";
        HoursAgo: "{n} hours ago", "vor {n} Stunden";
        InMinutes: "in {n} minutes", "in {n} Minuten";
        MinutesAgo: "{n} minutes ago", "vor {n} Minuten";
        ZoneNote: "Times in {zone}", "Zeiten in {zone}";
    }
}

texts! {
    /// The frame around every page.
    Layout {
        SkipToContent: "Skip to content", "Zum Inhalt springen";
        Menu: "Menu", "Menü";
        Shortcuts: "Keyboard shortcuts", "Tastenkürzel";
        KeyMove: "next / previous order (in the list and on an order)", "nächster / vorheriger Auftrag (in der Liste und im Auftrag)";
        KeyOpen: "open the order", "Auftrag öffnen";
        KeyAssign: "assign the order to me", "Auftrag mir zuweisen";
        KeyTick: "tick the next open step (on an order)", "nächsten offenen Schritt abhaken (im Auftrag)";
        KeyHelp: "show or hide this list", "diese Liste zeigen oder verbergen";
        KeyClose: "Not while typing in a field. Escape closes this list.", "Nicht beim Tippen in ein Feld. Escape schließt diese Liste.";
        MainNavigation: "Main", "Hauptnavigation";
        Overview: "Overview", "Übersicht";
        Orders: "Orders", "Aufträge";
        Operators: "Operators", "Team";
        Settings: "Settings", "Einstellungen";
        ApiTokens: "API tokens", "API-Tokens";
        AuditLog: "Audit log", "Protokoll";
        Outbox: "Outbox", "Postausgang";
        SignOut: "Sign out", "Abmelden";
        Tagline: "SaaS async. orders from the STACKIT Marketplace", "SaaS-async.-Aufträge aus dem STACKIT Marketplace";
        Language: "Language", "Sprache";
    }
}

texts! {
    /// Errors: a title and what the reader can do about it.
    ErrorText {
        ErrorStatus: "Error {status}", "Fehler {status}";
        NotFoundTitle: "Page not found", "Seite nicht gefunden";
        NotFoundAdvice: "Check the address, or go back to the overview.", "Prüfen Sie die Adresse oder gehen Sie zurück zur Übersicht.";
        UnauthorizedTitle: "Please sign in", "Bitte melden Sie sich an";
        UnauthorizedAdvice: "Sign in and try again.", "Melden Sie sich an und versuchen Sie es erneut.";
        ForbiddenTitle: "Not allowed", "Nicht erlaubt";
        ForbiddenAdvice: "Ask an administrator if you need access.", "Fragen Sie eine Administratorin oder einen Administrator, wenn Sie Zugriff brauchen.";
        ValidationTitle: "Please check your input", "Bitte prüfen Sie Ihre Eingabe";
        ValidationAdvice: "Check “{field}”: {message}", "Prüfen Sie „{field}“: {message}";
        ConflictTitle: "That changed in the meantime", "Das hat sich inzwischen geändert";
        ConflictAdvice: "{message} Reload the page to see the current state.", "Laden Sie die Seite neu, um den aktuellen Stand zu sehen. Hinweis: {message}";
        UpstreamTitle: "STACKIT did not answer as expected", "STACKIT hat nicht wie erwartet geantwortet";
        UpstreamAdvice: "{message} Try again in a few minutes.", "Versuchen Sie es in ein paar Minuten erneut. Hinweis: {message}";
        RateLimitedTitle: "Too many attempts", "Zu viele Versuche";
        RateLimitedAdvice: "Wait {minutes} minutes, then try again.", "Warten Sie {minutes} Minuten und versuchen Sie es dann erneut.";
        BadRequestTitle: "The request was malformed", "Die Anfrage war fehlerhaft";
        BadRequestAdvice: "Reload the page and try again. For scripts: {message}", "Laden Sie die Seite neu und versuchen Sie es erneut. Für Skripte: {message}";
        BusyTitle: "Orderdesk is busy", "Orderdesk ist gerade ausgelastet";
        BusyAdvice: "Many requests arrived at once. Try again in {seconds} seconds.", "Gerade kommen viele Anfragen auf einmal an. Versuchen Sie es in {seconds} Sekunden erneut.";
        UnavailableTitle: "Orderdesk is temporarily unavailable", "Orderdesk ist vorübergehend nicht erreichbar";
        UnavailableAdvice: "The database cannot be reached. Try again in a minute; if it persists, tell your administrator.", "Die Datenbank ist nicht erreichbar. Versuchen Sie es in einer Minute erneut; hält das an, informieren Sie Ihre Administration.";
        InternalTitle: "Something went wrong on our side", "Bei uns ist etwas schiefgegangen";
        InternalAdvice: "The error was logged. Try again; if it persists, tell your administrator.", "Der Fehler wurde protokolliert. Versuchen Sie es erneut; hält das an, informieren Sie Ihre Administration.";
        SignIn: "Sign in", "Anmelden";
        BackToOverview: "Back to the overview", "Zurück zur Übersicht";
        TryAgain: "That did not work. Try again.", "Das hat nicht geklappt. Versuchen Sie es erneut.";
    }
}

texts! {
    /// What a refused input needs, by the name of the input.
    Fields {
        Role: "Choose admin, operator or viewer.", "Wählen Sie Administration, Bearbeitung oder Lesend.";
        Email: "Enter an e-mail address like name@example.com.", "Geben Sie eine E-Mail-Adresse wie name@example.com ein.";
        Name: "Enter a name of at most 100 characters.", "Geben Sie einen Namen mit höchstens 100 Zeichen ein.";
        Repeat: "The two passwords differ.", "Die beiden Passwörter stimmen nicht überein.";
        InstanceUrl: "Enter a full http:// or https:// address.", "Geben Sie eine vollständige http://- oder https://-Adresse ein.";
        Reason: "Say why the order is rejected.", "Geben Sie an, warum der Auftrag abgelehnt wird.";
        Current: "The current password is not right.", "Das aktuelle Passwort stimmt nicht.";
        Password: "Use between 10 and 1024 characters.", "Verwenden Sie 10 bis 1024 Zeichen.";
        Token: "This setup link is used, expired or unknown. Ask an admin for a new one.", "Dieser Einrichtungslink ist benutzt, abgelaufen oder unbekannt. Bitten Sie die Administration um einen neuen.";
        ProductId: "Use STACKIT's product ID, like datavault-1a2b3c4d.", "Verwenden Sie die Produkt-ID von STACKIT, etwa datavault-1a2b3c4d.";
        WindowDays: "The approval window is 1 to 30 days.", "Die Freigabefrist beträgt 1 bis 30 Tage.";
        Title: "Give the step a title (at most 200 characters).", "Geben Sie dem Schritt einen Titel (höchstens 200 Zeichen).";
        After: "This page link is not valid any more; start from the first page.", "Dieser Seitenlink gilt nicht mehr; beginnen Sie auf der ersten Seite.";
        State: "Choose a state from the list.", "Wählen Sie einen Status aus der Liste.";
        Sort: "Sort by deadline or newest.", "Sortieren Sie nach Frist oder nach neuesten.";
        Assigned: "Choose me or nobody.", "Wählen Sie „mir“ oder „niemandem“.";
        Body: "Write between 1 and 10,000 characters.", "Schreiben Sie 1 bis 10.000 Zeichen.";
        Assignee: "Choose an active operator.", "Wählen Sie ein aktives Teammitglied.";
        Locale: "Choose English or German.", "Wählen Sie Englisch oder Deutsch.";
    }
}

impl Fields {
    /// The advice for the input named `field` in a validation error, if it is one we know.
    pub fn for_field(field: &str) -> Option<Fields> {
        Some(match field {
            "role" => Fields::Role,
            "email" => Fields::Email,
            "name" => Fields::Name,
            "repeat" => Fields::Repeat,
            "instance_url" => Fields::InstanceUrl,
            "reason" => Fields::Reason,
            "current" => Fields::Current,
            "new" | "password" => Fields::Password,
            "token" => Fields::Token,
            "product_id" => Fields::ProductId,
            "window_days" => Fields::WindowDays,
            "title" => Fields::Title,
            "after" => Fields::After,
            "state" => Fields::State,
            "sort" => Fields::Sort,
            "assigned" => Fields::Assigned,
            "body" => Fields::Body,
            "assignee" => Fields::Assignee,
            "locale" => Fields::Locale,
            _ => return None,
        })
    }
}

texts! {
    /// What a form says beside the one field it refused, for operators and customers alike.
    FormText {
        EmailInvalid: "This is not an e-mail address we can write to: check it for typing errors.", "An diese E-Mail-Adresse können wir nicht schreiben: Prüfen Sie sie auf Tippfehler.";
        PasswordTooWeak: "Choose a password of at least 10 characters that is not easy to guess.", "Wählen Sie ein Passwort mit mindestens 10 Zeichen, das nicht leicht zu erraten ist.";
        PasswordsDiffer: "The two passwords differ: type the same password twice.", "Die beiden Passwörter unterscheiden sich: Geben Sie zweimal dasselbe Passwort ein.";
        CurrentWrong: "This is not your current password.", "Das ist nicht Ihr aktuelles Passwort.";
        LinkUnusable: "This link is used, expired or unknown: ask for a new one.", "Dieser Link ist benutzt, abgelaufen oder unbekannt: Fordern Sie einen neuen an.";
        WrongSignIn: "Check the password (and the e-mail address above).", "Prüfen Sie das Passwort (und die E-Mail-Adresse darüber).";
        InviteSent: "Invitation sent: the link in it works for 7 days.", "Einladung gesendet: Der Link darin gilt 7 Tage.";
        TryLater: "That did not work just now. Wait a minute and try again.", "Das hat gerade nicht geklappt. Warten Sie eine Minute und versuchen Sie es erneut.";
    }
}
