//! The orders inbox and the order page: checklist, decision, deadline, STACKIT's fields, timeline.

texts! {
    /// The inbox (`/orders`).
    InboxText {
        Title: "Orders", "Aufträge";
        Intro: "Pending orders first, the nearest deadline on top.", "Offene Aufträge zuerst, die nächste Frist oben.";
        Synced: "Synced: {new} new, {changed} changed, {unchanged} unchanged.", "Abgeglichen: {new} neu, {changed} geändert, {unchanged} unverändert.";
        Loading: "Loading orders…", "Aufträge werden geladen…";
        Search: "Search", "Suche";
        PlanChange: "plan change from {from} to {to}", "Tarifwechsel von {from} zu {to}";
        SearchPlaceholder: "E-mail, subscription, project or organization ID", "E-Mail, Abonnement-, Projekt- oder Organisations-ID";
        State: "State", "Status";
        AnyState: "Any state", "Jeder Status";
        Product: "Product", "Produkt";
        AnyProduct: "Any product", "Jedes Produkt";
        AssignedTo: "Assigned to", "Zuständig";
        Anyone: "Anyone", "Alle";
        Me: "Me", "Ich";
        Nobody: "Nobody", "Niemand";
        Sort: "Sort", "Sortierung";
        Deadline: "Deadline", "Frist";
        NewestFirst: "Newest first", "Neueste zuerst";
        OnlyOverdue: "Only overdue", "Nur überfällige";
        OnlyDueSoon: "Only due within 3 days", "Nur in 3 Tagen fällige";
        Clear: "Clear", "Zurücksetzen";
        Filter: "Filter", "Filtern";
        Filters: "Filters", "Filter";
        AssignToMe: "Assign to me", "Mir zuweisen";
        AssignToMeLabel: "Assign order {id} to me", "Auftrag {id} mir zuweisen";
        Empty: "No orders match. Clear the filters, or wait for the next sync with STACKIT.", "Keine Aufträge gefunden. Setzen Sie die Filter zurück oder warten Sie auf den nächsten Abgleich mit STACKIT.";
        Order: "Order", "Auftrag";
        OrderLabel: "Order {id}", "Auftrag {id}";
        ProductAndPlan: "Product and plan", "Produkt und Tarif";
        Contact: "Contact", "Kontakt";
        Ordered: "Ordered", "Bestellt";
        Assignee: "Assignee", "Zuständig";
        Setup: "Setup", "Einrichtung";
        Project: "Project", "Projekt";
        NoneYet: "none yet", "noch keine";
        NextPage: "Next page", "Nächste Seite";
        QuickViews: "Quick views", "Schnellansichten";
        MyPending: "My pending", "Meine offenen";
        Unassigned: "Unassigned", "Nicht zugewiesen";
        DueSoon: "Due soon", "Bald fällig";
        Overdue: "Overdue", "Überfällig";
        TotalOne: "1 order", "1 Auftrag";
        TotalMany: "{count} orders", "{count} Aufträge";
        TotalMore: "More than {count} orders", "Mehr als {count} Aufträge";
        Export: "Export CSV", "Als CSV exportieren";
        ExportLabel: "Download this view as CSV, every page of it", "Diese Ansicht als CSV herunterladen, alle Seiten";
    }
}

texts! {
    /// The order page (`/orders/:id`) and its parts.
    OrderText {
        BackToOrders: "← Orders", "← Aufträge";
        Navigation: "Orders of the inbox view", "Aufträge der Ansicht";
        Previous: "Previous", "Vorheriger";
        Next: "Next", "Nächster";
        PreviousLabel: "Previous order in the inbox view", "Vorheriger Auftrag der Ansicht";
        NextLabel: "Next order in the inbox view", "Nächster Auftrag der Ansicht";
        Copy: "Copy", "Kopieren";
        Copied: "Copied", "Kopiert";
        CopyLabel: "Copy {what}", "{what} kopieren";
        TheContact: "the contact e-mail", "Kontakt-E-Mail";
        SubscriptionId: "Subscription ID", "Abonnement-ID";
        ProjectId: "Project ID", "Projekt-ID";
        OrganizationId: "Organization ID", "Organisations-ID";
        Loading: "Loading the order…", "Auftrag wird geladen…";
        ErrorConflict: "The order changed in the meantime; what you see now is its current state.", "Der Auftrag hat sich inzwischen geändert; Sie sehen jetzt seinen aktuellen Stand.";
        ErrorInvalid: "Check what you entered: an e-mail address, an http(s) address, or a reason.", "Prüfen Sie Ihre Eingabe: eine E-Mail-Adresse, eine http(s)-Adresse oder eine Begründung.";
        ErrorUpstream: "STACKIT did not take the decision. The timeline says why.", "STACKIT hat die Entscheidung nicht angenommen. Die Zeitleiste sagt, warum.";
        ErrorForbidden: "Your role does not allow this.", "Ihre Rolle erlaubt das nicht.";
        LastDecisionFailed: "Last decision failed: {error}", "Letzte Entscheidung fehlgeschlagen: {error}";
        CustomerContact: "Customer contact", "Kundenkontakt";
        NoContact: "No contact e-mail yet", "Noch keine Kontakt-E-Mail";
        StackitGave: "STACKIT gave: {email}", "Von STACKIT: {email}";
        ContactEmail: "Contact e-mail", "Kontakt-E-Mail";
        CustomerAccounts: "Customer accounts in Orderdesk: {emails}", "Kundenkonten in Orderdesk: {emails}";
        SaveEmail: "Save e-mail", "E-Mail speichern";
        UseOtherEmail: "Use a different contact e-mail", "Andere Kontakt-E-Mail verwenden";
        DetailsCount: "Details: {n} fields", "Details: {n} Felder";
        Notes: "Notes", "Notizen";
        NewNote: "New note (internal, the customer never sees it)", "Neue Notiz (intern, der Kunde sieht sie nie)";
        AddNote: "Add note", "Notiz hinzufügen";
        Timeline: "Timeline", "Zeitleiste";
        DeadlineAndAssignee: "Deadline and assignee", "Frist und Zuständigkeit";
        AssigneeIs: "Assignee: {name}", "Zuständig: {name}";
        Nobody: "nobody", "niemand";
        Assignee: "Assignee", "Zuständig";
        NobodyOption: "Nobody", "Niemand";
        Assign: "Assign", "Zuweisen";
        Instance: "Instance:", "Instanz:";
        FromStackit: "From STACKIT", "Von STACKIT";
        Checklist: "Setup checklist", "Einrichtungs-Checkliste";
        ChecklistProgress: "{done} of {total} done", "{done} von {total} erledigt";
        NoChecklist: "This product has no checklist.", "Dieses Produkt hat keine Checkliste.";
        UndoStep: "Undo “{step}”", "„{step}“ zurücknehmen";
        UndoTick: "Take back the tick on “{step}”", "Haken bei „{step}“ zurücknehmen";
        StepTicked: "Done: “{step}”.", "Erledigt: „{step}“.";
        StepReopened: "Open again: “{step}”.", "Wieder offen: „{step}“.";
        NoteSaved: "Note added.", "Notiz hinzugefügt.";
        AssigneeSaved: "Assigned to {name}.", "Zuständig: {name}.";
        ContactSaved: "Contact e-mail saved.", "Kontakt-E-Mail gespeichert.";
        MarkStep: "Mark “{step}” done", "„{step}“ als erledigt markieren";
        CustomerSees: "Customer sees this step", "Für den Kunden sichtbar";
        Internal: "Internal", "Intern";
        DoneBy: " · done {at} by {name}", " · erledigt {at} von {name}";
        Undo: "Undo", "Zurücknehmen";
        Done: "Done", "Erledigt";
        Decision: "Decision", "Entscheidung";
        Deciding: "A decision is being sent to STACKIT.", "Eine Entscheidung wird an STACKIT übermittelt.";
        ApprovalQueued: "Approval queued: it goes to STACKIT in a moment.", "Freigabe eingereiht: Sie geht gleich an STACKIT.";
        RejectionQueued: "Rejection queued: it goes to STACKIT in a moment.", "Ablehnung eingereiht: Sie geht gleich an STACKIT.";
        ApprovalSending: "Approval being sent to STACKIT…", "Freigabe wird an STACKIT gesendet…";
        RejectionSending: "Rejection being sent to STACKIT…", "Ablehnung wird an STACKIT gesendet…";
        ApprovalRetrying: "Approval queued, STACKIT did not take it yet: {error}. Attempt {attempt} is due {when}; Orderdesk keeps trying, nothing needs doing.", "Freigabe eingereiht, STACKIT hat sie noch nicht angenommen: {error}. Versuch {attempt} folgt {when}; Orderdesk versucht es weiter, es ist nichts zu tun.";
        RejectionRetrying: "Rejection queued, STACKIT did not take it yet: {error}. Attempt {attempt} is due {when}; Orderdesk keeps trying, nothing needs doing.", "Ablehnung eingereiht, STACKIT hat sie noch nicht angenommen: {error}. Versuch {attempt} folgt {when}; Orderdesk versucht es weiter, es ist nichts zu tun.";
        FollowsOrder: "Plan change: this order follows order", "Tarifwechsel: Dieser Auftrag folgt auf Auftrag";
        FollowedBy: "Plan change: this order was replaced by order", "Tarifwechsel: Dieser Auftrag wurde ersetzt durch Auftrag";
        Approve: "Approve…", "Freigeben…";
        InstanceUrl: "Instance URL for the customer (optional)", "Instanz-URL für den Kunden (optional)";
        ApproveNote: "Approving tells STACKIT the setup is done. Billing starts now.", "Die Freigabe meldet STACKIT, dass die Einrichtung fertig ist. Ab jetzt wird abgerechnet.";
        ConfirmApproval: "Confirm approval", "Freigabe bestätigen";
        StepsStillOpen: "{open} of {total} steps still open.", "{open} von {total} Schritten sind noch offen.";
        ApproveAnyway: "Approve anyway: the open steps are done or not needed", "Trotzdem freigeben: Die offenen Schritte sind erledigt oder nicht nötig";
        ApprovedDone: "Approved: STACKIT has the approval and bills the customer from now on.", "Freigegeben: STACKIT hat die Freigabe und rechnet ab jetzt mit dem Kunden ab.";
        Reject: "Reject…", "Ablehnen…";
        Reason: "Reason (required, kept in the timeline)", "Begründung (Pflicht, steht in der Zeitleiste)";
        ConfirmRejection: "Confirm rejection", "Ablehnung bestätigen";
        Overdue: "Overdue", "Überfällig";
        DueSoon: "Due soon", "Bald fällig";
    }
}

texts! {
    /// The subscription fields STACKIT sends, as the order page lists them.
    FieldText {
        Subscription: "Subscription", "Abonnement";
        Organization: "Organization", "Organisation";
        Project: "Project", "Projekt";
        LifecycleState: "Lifecycle state", "Lebenszyklus-Status";
        OrderedAt: "Ordered at", "Bestellt am";
        ApprovalTimeout: "Approval timeout", "Freigabefrist";
        AutoRenewal: "Auto renewal", "Automatische Verlängerung";
        ValidFrom: "Valid from", "Gültig ab";
        ValidUntil: "Valid until", "Gültig bis";
        TerminatesAt: "Terminates at", "Endet am";
        Product: "Product", "Produkt";
        ProductState: "Product state", "Produktstatus";
        Plan: "Plan", "Tarif";
        PricingPlan: "Pricing plan", "Preismodell";
        PriceType: "Price type", "Preisart";
        Rate: "Rate", "Preis";
        ValidityPeriod: "Validity period", "Laufzeit";
        NoticePeriod: "Notice period", "Kündigungsfrist";
        DeliveryMethod: "Delivery method", "Bereitstellung";
        VendorPlanId: "Vendor plan ID", "Tarif-ID des Anbieters";
        VendorProductId: "Vendor product ID", "Produkt-ID des Anbieters";
        Vendor: "Vendor", "Anbieter";
        Yes: "yes", "ja";
        No: "no", "nein";
        Days: "{n} days ({raw})", "{n} Tage ({raw})";
        Seconds: "{n} seconds ({raw})", "{n} Sekunden ({raw})";
    }
}

texts! {
    /// What happened to an order, as the timeline and the audit log say it.
    TimelineText {
        Created: "Order received from STACKIT ({state})", "Auftrag von STACKIT erhalten ({state})";
        StateChanged: "State changed from {from} to {to}", "Status geändert von {from} zu {to}";
        Updated: "STACKIT changed the order's details", "STACKIT hat Angaben zum Auftrag geändert";
        StepDone: "Ticked “{step}”", "„{step}“ abgehakt";
        StepUndone: "Unticked “{step}”", "Haken bei „{step}“ entfernt";
        NoteAdded: "Added a note", "Notiz hinzugefügt";
        ContactChanged: "Set the contact e-mail to {email}", "Kontakt-E-Mail auf {email} gesetzt";
        Assigned: "Assigned to {name}", "{name} zugewiesen";
        Unassigned: "Unassigned", "Zuweisung aufgehoben";
        Approved: "Approved at STACKIT", "Bei STACKIT freigegeben";
        ApprovedWithInstance: "Approved at STACKIT (instance {url})", "Bei STACKIT freigegeben (Instanz {url})";
        Rejected: "Rejected at STACKIT: {reason}", "Bei STACKIT abgelehnt: {reason}";
        DecisionFailed: "The decision did not go through: {error}", "Die Entscheidung ist nicht durchgegangen: {error}";
        ApprovalQueued: "Approval queued for STACKIT", "Freigabe für STACKIT eingereiht";
        RejectionQueued: "Rejection queued for STACKIT", "Ablehnung für STACKIT eingereiht";
        PlanChangedFrom: "Follows order {id} after a plan change from {from} to {to}", "Folgt auf Auftrag {id} nach einem Tarifwechsel von {from} zu {to}";
        StepsCarried: "Carried over from order {from}: {steps}", "Übernommen von Auftrag {from}: {steps}";
        PlanChangedTo: "Replaced by order {id} after a plan change from {from} to {to}", "Ersetzt durch Auftrag {id} nach einem Tarifwechsel von {from} zu {to}";
    }
}

texts! {
    /// Pages that keep themselves current (`components::live`).
    LiveText {
        NewOrderOne: "1 new order — show", "1 neuer Auftrag — anzeigen";
        NewOrdersMany: "{n} new orders — show", "{n} neue Aufträge — anzeigen";
        RowsUpdated: "Orders updated: {n}", "Aufträge aktualisiert: {n}";
        OrderUpdated: "This order was updated.", "Dieser Auftrag wurde aktualisiert.";
        AlsoHere: "Also viewing: {names}", "Ebenfalls geöffnet von: {names}";
        StatusUpdated: "Updated: {status}", "Aktualisiert: {status}";
    }
}
