//! The set-up check's lines (`orderdesk check`, Settings → "Check the set-up"): what each checks,
//! and what to do when it fails.

texts! {
    /// The set-up check.
    CheckText {
        Title: "Check the set-up", "Einrichtung prüfen";
        Intro: "Goes through every link from the configuration to STACKIT, mail, the webhook and the database, as the command orderdesk check does. Nothing is changed, no mail is sent; the webhook gets a signed ping.", "Prüft jedes Glied von der Konfiguration über STACKIT, Mail und Webhook bis zur Datenbank, wie der Befehl orderdesk check. Nichts wird geändert, keine Mail versendet; der Webhook erhält einen signierten Ping.";
        Run: "Run the check", "Prüfung starten";
        AllPassed: "Everything needed for going live works.", "Alles, was für den Betrieb nötig ist, funktioniert.";
        SomeFailed: "{n} line(s) failed: going live would fail there.", "{n} Zeile(n) fehlgeschlagen: Dort würde der Betrieb scheitern.";
        Step: "Step", "Schritt";
        What: "Check", "Prüfung";
        Result: "Result", "Ergebnis";
        Found: "Found", "Befund";
        Pass: "passed", "bestanden";
        Warn: "look at it", "ansehen";
        Fail: "failed", "fehlgeschlagen";
        Skipped: "skipped", "übersprungen";
        Configuration: "Configuration", "Konfiguration";
        ConfigurationRead: "every setting parsed", "alle Einstellungen gelesen";
        PublicUrl: "Public address", "Öffentliche Adresse";
        PublicUrlMissing: "Set ORDERDESK_PUBLIC_URL to the https:// address customers and operators use.", "Setzen Sie ORDERDESK_PUBLIC_URL auf die https://-Adresse, die Kunden und Team verwenden.";
        PublicUrlPlain: "Serve Orderdesk over HTTPS (TLS at the ingress) and set ORDERDESK_PUBLIC_URL to its https:// address.", "Stellen Sie Orderdesk über HTTPS bereit (TLS am Ingress) und setzen Sie ORDERDESK_PUBLIC_URL auf die https://-Adresse.";
        Loopback: "on this machine only (fine for a demo, not for customers)", "nur auf diesem Rechner (für eine Demo gut, nicht für Kunden)";
        Secrets: "Secrets", "Geheimnisse";
        SecretsPresent: "present where the chosen options need them (not shown)", "vorhanden, wo die gewählten Optionen sie brauchen (nicht angezeigt)";
        NotSet: "not set", "nicht gesetzt";
        NeedsPublicUrl: "needs ORDERDESK_PUBLIC_URL", "braucht ORDERDESK_PUBLIC_URL";
        VendorProject: "STACKIT vendor project", "STACKIT-Anbieterprojekt";
        ProjectMissing: "Set STACKIT_VENDOR_PROJECT_ID (your vendor project's ID) and STACKIT_SERVICE_ACCOUNT_KEY_PATH (the service account's key file).", "Setzen Sie STACKIT_VENDOR_PROJECT_ID (die ID Ihres Anbieterprojekts) und STACKIT_SERVICE_ACCOUNT_KEY_PATH (die Schlüsseldatei des Service-Accounts).";
        KeyFile: "Service-account key", "Service-Account-Schlüssel";
        KeyFileBad: "Download a new key of the service account in the STACKIT portal (JSON) and point STACKIT_SERVICE_ACCOUNT_KEY_PATH at the file; Orderdesk must be able to read it.", "Laden Sie im STACKIT-Portal einen neuen Schlüssel des Service-Accounts herunter (JSON) und verweisen Sie STACKIT_SERVICE_ACCOUNT_KEY_PATH auf die Datei; Orderdesk muss sie lesen können.";
        StaticToken: "a static access token (STACKIT_ACCESS_TOKEN) is not renewed when it expires", "ein statisches Zugriffstoken (STACKIT_ACCESS_TOKEN) wird nach Ablauf nicht erneuert";
        StaticTokenAdvice: "Use a service-account key (STACKIT_SERVICE_ACCOUNT_KEY_PATH) in production.", "Verwenden Sie im Betrieb einen Service-Account-Schlüssel (STACKIT_SERVICE_ACCOUNT_KEY_PATH).";
        Token: "Access token from STACKIT", "Zugriffstoken von STACKIT";
        TokenIssued: "issued by {endpoint}, valid for {minutes} minutes", "ausgestellt von {endpoint}, {minutes} Minuten gültig";
        TokenRefused: "The key was refused: it may be revoked, expired or of another service account. Create a new key in the STACKIT portal.", "Der Schlüssel wurde abgelehnt: Er ist vielleicht widerrufen, abgelaufen oder gehört zu einem anderen Service-Account. Erstellen Sie im STACKIT-Portal einen neuen Schlüssel.";
        Refresh: "Token renewal", "Token-Erneuerung";
        Refreshed: "the refresh token was accepted", "das Refresh-Token wurde angenommen";
        NoRefresh: "STACKIT sent no refresh token; a new assertion is signed instead", "STACKIT hat kein Refresh-Token gesendet; stattdessen wird eine neue Zusicherung signiert";
        RefreshRefused: "STACKIT refused the refresh token: check the token endpoint (STACKIT_TOKEN_ENDPOINT).", "STACKIT hat das Refresh-Token abgelehnt: Prüfen Sie den Token-Endpunkt (STACKIT_TOKEN_ENDPOINT).";
        Subscriptions: "Subscriptions of the vendor project", "Abonnements des Anbieterprojekts";
        SubscriptionsFound: "{n} at STACKIT: {states}", "{n} bei STACKIT: {states}";
        NoAccess: "STACKIT answered 403: the service account may not read project {project}. Grant it the Marketplace vendor role (or project owner) on that project, or correct STACKIT_VENDOR_PROJECT_ID.", "STACKIT antwortete 403: Der Service-Account darf Projekt {project} nicht lesen. Geben Sie ihm dort die Marketplace-Anbieterrolle (oder Projekt-Owner) oder korrigieren Sie STACKIT_VENDOR_PROJECT_ID.";
        Unreachable: "Check the address and that Orderdesk may reach it (proxy, firewall, DNS).", "Prüfen Sie die Adresse und ob Orderdesk sie erreichen darf (Proxy, Firewall, DNS).";
        Products: "Products", "Produkte";
        ProductsFound: "at STACKIT: {stackit}; in Orderdesk: {ours}", "bei STACKIT: {stackit}; in Orderdesk: {ours}";
        ProductsUnknown: "Products in Orderdesk without subscriptions at STACKIT: {names}. Check their IDs in Settings (they may be typed by hand).", "Produkte in Orderdesk ohne Abonnements bei STACKIT: {names}. Prüfen Sie ihre IDs in den Einstellungen (vielleicht von Hand eingegeben).";
        None_: "none", "keine";
        ProductsMissing: "; not yet in Orderdesk (the next sync adds them): {names}", "; noch nicht in Orderdesk (der nächste Abgleich legt sie an): {names}";
        RedirectKeys: "Keys of STACKIT's sign-up tokens", "Schlüssel der STACKIT-Anmeldetokens";
        KeysFound: "{n} RSA key(s) at {url}", "{n} RSA-Schlüssel unter {url}";
        KeysBad: "STACKIT_REDIRECT_KEYS_URL must answer with STACKIT's key map of RSA keys; check the address and that Orderdesk may reach it.", "STACKIT_REDIRECT_KEYS_URL muss mit STACKITs Schlüsselliste (RSA) antworten; prüfen Sie die Adresse und ob Orderdesk sie erreichen darf.";
        SignupUrl: "Sign-up URL to register at STACKIT", "Bei STACKIT zu hinterlegende Anmelde-URL";
        SignupAnswers: "{url} answers (HTTP {status}); register exactly this address for each product", "{url} antwortet (HTTP {status}); hinterlegen Sie genau diese Adresse für jedes Produkt";
        SignupUnreachable: "{url} does not answer from here: the public address must reach this Orderdesk (DNS, ingress, TLS).", "{url} antwortet von hier aus nicht: Die öffentliche Adresse muss dieses Orderdesk erreichen (DNS, Ingress, TLS).";
        Mail: "Mail", "Mail";
        MailCaptured: "captured in the database (no ORDERDESK_SMTP_URL): read it in the Outbox; customers get nothing", "in der Datenbank festgehalten (kein ORDERDESK_SMTP_URL): im Postausgang lesbar; Kunden erhalten nichts";
        MailCapturedAdvice: "Set ORDERDESK_SMTP_URL to your relay (smtps://user:password@host:465 or smtp://…:587 with STARTTLS).", "Setzen Sie ORDERDESK_SMTP_URL auf Ihr Relay (smtps://benutzer:passwort@host:465 oder smtp://…:587 mit STARTTLS).";
        MailConnected: "{host}: connected, TLS as configured, signed in (no mail sent)", "{host}: verbunden, TLS wie eingestellt, angemeldet (keine Mail gesendet)";
        MailRefused: "Check ORDERDESK_SMTP_URL: host, port, TLS mode, user and password (ORDERDESK_SMTP_CA_FILE for a private certificate authority).", "Prüfen Sie ORDERDESK_SMTP_URL: Host, Port, TLS-Modus, Benutzer und Passwort (ORDERDESK_SMTP_CA_FILE für eine eigene Zertifizierungsstelle).";
        Webhook: "Webhook", "Webhook";
        WebhookOff: "not set (ORDERDESK_WEBHOOK_URL)", "nicht gesetzt (ORDERDESK_WEBHOOK_URL)";
        WebhookAnswered: "a signed ping to {url} was answered with HTTP {status}", "ein signierter Ping an {url} wurde mit HTTP {status} beantwortet";
        WebhookBad: "The receiver must answer 2xx to Orderdesk's signed events; see its log for why it refused the ping.", "Der Empfänger muss Orderdesks signierte Ereignisse mit 2xx beantworten; sein Protokoll sagt, warum er den Ping abgelehnt hat.";
        Database: "Database", "Datenbank";
        DatabaseReady: "{engine} {version}, {n} migrations applied", "{engine} {version}, {n} Migrationen angewendet";
        DatabaseNotReady: "Start Orderdesk once (it migrates at start) or check DATABASE_URL.", "Starten Sie Orderdesk einmal (es migriert beim Start) oder prüfen Sie DATABASE_URL.";
        Jobs: "Background jobs", "Hintergrundaufgaben";
        JobsFine: "{due} due, the oldest {age}", "{due} fällig, die älteste {age}";
        JobsStuck: "Jobs wait for more than 10 minutes: is an Orderdesk process running (`orderdesk serve`)? See its log.", "Aufgaben warten länger als 10 Minuten: Läuft ein Orderdesk-Prozess (`orderdesk serve`)? Siehe sein Protokoll.";
        LastSync: "Last sync with STACKIT", "Letzter Abgleich mit STACKIT";
        SyncNever: "none yet", "noch keiner";
        SyncAt: "sync ({kind}) {when}: {outcome}", "Abgleich ({kind}) {when}: {outcome}";
        SyncOk: "done", "erledigt";
        TookTooLong: "no answer within {secs} s", "keine Antwort innerhalb von {secs} s";
        SecretMissing: "Set the secret this option needs (its variable is named above); Orderdesk never prints it.", "Setzen Sie das Geheimnis, das diese Option braucht (die Variable steht oben); Orderdesk zeigt es nie an.";
        AtLeast: "at least {n}", "mindestens {n}";
        SyncFailedAdvice: "The last sync failed: see the log, and the lines above about STACKIT.", "Der letzte Abgleich ist fehlgeschlagen: Siehe Protokoll und die Zeilen zu STACKIT oben.";
    }
}
