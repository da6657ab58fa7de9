-- The language and time zone of the browser an operator last signed in from (or the language they
-- last chose): the mails Orderdesk sends them (new orders, deadlines, deprovisioning) use them.
ALTER TABLE operators ADD COLUMN locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'de'));
ALTER TABLE operators ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
