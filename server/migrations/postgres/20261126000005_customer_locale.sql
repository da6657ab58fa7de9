-- The language a customer registered in: mails about their orders are written in it.
ALTER TABLE customers ADD COLUMN locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de'));
