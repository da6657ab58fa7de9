//! The overview, its islands (state table, sync button), the approvals chart, the audit log and
//! the settings page.

texts! {
    /// The overview (`/`).
    HomeText {
        Title: "Overview", "Übersicht";
        Intro: "Orders from the STACKIT Marketplace, by lifecycle state.", "Aufträge aus dem STACKIT Marketplace nach Lebenszyklus-Status.";
        Loading: "Loading figures…", "Zahlen werden geladen…";
        Total: "Orders in total", "Aufträge insgesamt";
        Waiting: "Waiting for setup and approval", "Warten auf Einrichtung und Freigabe";
        DueSoon: "Due within 3 days", "In 3 Tagen fällig";
        Overdue: "Overdue", "Überfällig";
        TimeToApproval: "Time from order to approval", "Zeit von Bestellung bis Freigabe";
        Last30: "Last 30 days", "Letzte 30 Tage";
        Last90: "Last 90 days", "Letzte 90 Tage";
        PerWeek: "Orders approved per week", "Freigegebene Aufträge pro Woche";
        Days: "{n} days", "{n} Tage";
        Hours: "{n} hours", "{n} Stunden";
        Times: "median {median}, 90% within {p90} ({orders} orders)", "Median {median}, 90 % innerhalb von {p90} ({orders} Aufträge)";
        NoApprovals: "no approvals yet", "noch keine Freigaben";
        ChartLabel: "Orders approved per week over the last {weeks} weeks: {total} in all", "Freigegebene Aufträge pro Woche in den letzten {weeks} Wochen: {total} insgesamt";
        ChartWeek: "Week of {date}: {n} approved", "Woche ab {date}: {n} freigegeben";
    }
}

texts! {
    /// The table of orders by state (an island: only these texts go to the browser).
    StateTableText {
        Heading: "Orders by state", "Aufträge nach Status";
        HideEmpty: "Hide states without orders", "Status ohne Aufträge ausblenden";
        Apply: "Apply", "Anwenden";
        State: "State", "Status";
        Orders: "Orders", "Aufträge";
        Empty: "No orders yet. Orderdesk lists orders here as soon as it has synchronised them from STACKIT's Vendor API.", "Noch keine Aufträge. Orderdesk zeigt sie hier, sobald es sie über die Vendor API von STACKIT abgeglichen hat.";
    }
}

texts! {
    /// "Sync now" (an island).
    SyncText {
        Button: "Sync now", "Jetzt abgleichen";
        Running: "Syncing with STACKIT…", "Abgleich mit STACKIT läuft…";
        Done: "Synced: {new} new, {changed} changed, {unchanged} unchanged. Reload the list to see them.", "Abgeglichen: {new} neu, {changed} geändert, {unchanged} unverändert. Laden Sie die Liste neu, um sie zu sehen.";
        Failed: "The sync did not finish: {reason}", "Der Abgleich wurde nicht beendet: {reason}";
    }
}

texts! {
    /// The audit log (`/audit`).
    AuditText {
        Title: "Audit log", "Protokoll";
        Intro: "Everything that happened to orders, newest first.", "Alles, was mit Aufträgen geschah, das Neueste zuerst.";
        Action: "Action", "Aktion";
        AnyAction: "Any action", "Jede Aktion";
        Order: "Order (subscription ID)", "Auftrag (Abonnement-ID)";
        OperatorId: "Operator ID", "Teammitglied-ID";
        Clear: "Clear", "Zurücksetzen";
        Filter: "Filter", "Filtern";
        When: "When", "Wann";
        Who: "Who", "Wer";
        What: "What", "Was";
        OrderColumn: "Order", "Auftrag";
        Older: "Older", "Ältere";
        OrderReceived: "Order received", "Auftrag erhalten";
        StateChanged: "State changed", "Status geändert";
        Approved: "Approved", "Freigegeben";
        Rejected: "Rejected", "Abgelehnt";
        DecisionFailed: "Decision failed", "Entscheidung fehlgeschlagen";
        StepTicked: "Step ticked", "Schritt abgehakt";
        StepUnticked: "Step unticked", "Haken entfernt";
        NoteAdded: "Note added", "Notiz hinzugefügt";
        ContactSet: "Contact e-mail set", "Kontakt-E-Mail gesetzt";
        Assignment: "Assignment", "Zuweisung";
    }
}

texts! {
    /// The settings page (`/settings`).
    SettingsText {
        Title: "Settings", "Einstellungen";
        NotSaved: "That was not saved: check the product ID (like datavault-1a2b3c4d), the name, the window (1 to 30 days) and the step title.", "Das wurde nicht gespeichert: Prüfen Sie die Produkt-ID (etwa datavault-1a2b3c4d), den Namen, die Frist (1 bis 30 Tage) und den Titel des Schritts.";
        Connection: "STACKIT connection", "Verbindung zu STACKIT";
        VendorProject: "Vendor project", "Anbieterprojekt";
        NotSet: "not set (STACKIT_VENDOR_PROJECT_ID)", "nicht gesetzt (STACKIT_VENDOR_PROJECT_ID)";
        Credentials: "Credentials", "Zugangsdaten";
        MarketplaceApi: "Marketplace API", "Marketplace-API";
        TokenKeys: "Sign-up token keys", "Schlüssel der Registrierungs-Tokens";
        FromConfiguration: "These come from the server's configuration (see the README); secrets are never shown.", "Diese Werte stammen aus der Serverkonfiguration (siehe README); Geheimnisse werden nie angezeigt.";
        Products: "Products", "Produkte";
        ProductsIntro: "Orders get a copy of their product's checklist when they arrive; changing a template changes new orders only.", "Aufträge erhalten bei Eingang eine Kopie der Checkliste ihres Produkts; eine geänderte Vorlage gilt nur für neue Aufträge.";
        AddProduct: "Add a product", "Produkt hinzufügen";
        ProductId: "STACKIT product ID", "STACKIT-Produkt-ID";
        DisplayName: "Display name", "Anzeigename";
        Window: "Approval window (days)", "Freigabefrist (Tage)";
        AddProductButton: "Add product", "Produkt hinzufügen";
        NameOf: "Name of {id}", "Name von {id}";
        SaveProduct: "Save product", "Produkt speichern";
        Template: "Setup checklist template", "Vorlage der Einrichtungs-Checkliste";
        CustomerSees: "Customer sees this step", "Für den Kunden sichtbar";
        Internal: "Internal", "Intern";
        StepKey: "Key for the API: {key}", "Schlüssel für die API: {key}";
        MoveUp: "Move “{step}” up", "„{step}“ nach oben";
        MoveDown: "Move “{step}” down", "„{step}“ nach unten";
        RemoveStep: "Remove “{step}”", "„{step}“ entfernen";
        Remove: "Remove", "Entfernen";
        CarriedOver: "carried over on plan changes", "wird bei Tarifwechsel übernommen";
        CarryOver: "Carry “{step}” over to the new order of a plan change", "„{step}“ bei Tarifwechsel in den neuen Auftrag übernehmen";
        StopCarrying: "Stop carrying “{step}” over on plan changes", "„{step}“ bei Tarifwechsel nicht mehr übernehmen";
        CarryOverShort: "Carry over", "Übernehmen";
        StopCarryingShort: "Don't carry over", "Nicht übernehmen";
        NewStep: "New step", "Neuer Schritt";
        Description: "Description", "Beschreibung";
        InternalWhenEmpty: "Leave these empty for an internal step the customer does not see.", "Lassen Sie diese Felder leer für einen internen Schritt, den der Kunde nicht sieht.";
        AddStep: "Add step", "Schritt hinzufügen";
        CustomerReads: "Customer reads: “{en}” / “{de}”", "Kunde liest: „{en}“ / „{de}“";
        Wording: "What the customer reads", "Was der Kunde liest";
        WordingOf: "What the customer reads of “{step}”", "Was der Kunde zu „{step}“ liest";
        WordingHint: "Written to the customer, in both languages, for their status page and mails. The step's title and description above stay internal.", "An den Kunden geschrieben, in beiden Sprachen, für seine Statusseite und Mails. Titel und Beschreibung des Schritts oben bleiben intern.";
        TitleEn: "Title (English)", "Titel (Englisch)";
        DescriptionEn: "Description (English)", "Beschreibung (Englisch)";
        TitleDe: "Title (German)", "Titel (Deutsch)";
        DescriptionDe: "Description (German)", "Beschreibung (Deutsch)";
        SaveWording: "Save the customer's text", "Kundentext speichern";
        WordingNotSaved: "Not saved: a step the customer sees needs a title written to the customer in English and in German.", "Nicht gespeichert: Ein Schritt, den der Kunde sieht, braucht einen an den Kunden geschriebenen Titel auf Englisch und auf Deutsch.";
    }
}
