-- What customers read of a checklist step, written to them in English and German; the step's
-- title and description stay the operators' internal text. Template steps hold the wording,
-- each order's steps copy it as they copy the rest.
ALTER TABLE checklist_steps ADD COLUMN customer_title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_steps ADD COLUMN customer_description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_steps ADD COLUMN customer_title_de TEXT NOT NULL DEFAULT '';
ALTER TABLE checklist_steps ADD COLUMN customer_description_de TEXT NOT NULL DEFAULT '';
ALTER TABLE order_steps ADD COLUMN customer_title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE order_steps ADD COLUMN customer_description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE order_steps ADD COLUMN customer_title_de TEXT NOT NULL DEFAULT '';
ALTER TABLE order_steps ADD COLUMN customer_description_de TEXT NOT NULL DEFAULT '';

-- Steps customers saw before this: they read the step's own text so far, so that stays their
-- English wording (German falls back to it) until an admin writes theirs.
UPDATE checklist_steps SET customer_title_en = title, customer_description_en = description WHERE customer_visible = 1;
UPDATE order_steps SET customer_title_en = title, customer_description_en = description WHERE customer_visible = 1;

-- The default checklist's steps get the wording the default checklist now has.
UPDATE checklist_steps SET
    customer_title_en = 'We confirm your order',
    customer_description_en = 'We write to your contact e-mail to confirm the order and to say what we need from you.',
    customer_title_de = 'Wir bestätigen Ihre Bestellung',
    customer_description_de = 'Wir schreiben an Ihre Kontaktadresse, bestätigen die Bestellung und sagen, was wir von Ihnen brauchen.'
    WHERE customer_visible = 1 AND title = 'Confirm the order with the customer';
UPDATE checklist_steps SET
    customer_title_en = 'We set up your instance',
    customer_description_en = 'We create your instance and its first administrator.',
    customer_title_de = 'Wir richten Ihre Instanz ein',
    customer_description_de = 'Wir legen Ihre Instanz und ihren ersten Administrator an.'
    WHERE customer_visible = 1 AND title = 'Provision the customer''s instance';
UPDATE checklist_steps SET
    customer_title_en = 'You receive your access details',
    customer_description_en = 'We send your instance''s address and your first sign-in to your contact e-mail.',
    customer_title_de = 'Sie erhalten Ihre Zugangsdaten',
    customer_description_de = 'Wir senden die Adresse Ihrer Instanz und Ihre erste Anmeldung an Ihre Kontaktadresse.'
    WHERE customer_visible = 1 AND title = 'Send the access details';
UPDATE order_steps SET
    customer_title_en = (SELECT MAX(c.customer_title_en) FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
                         WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title),
    customer_description_en = (SELECT MAX(c.customer_description_en) FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
                         WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title),
    customer_title_de = (SELECT MAX(c.customer_title_de) FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
                         WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title),
    customer_description_de = (SELECT MAX(c.customer_description_de) FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
                         WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title)
    WHERE customer_visible = 1 AND title IN ('Confirm the order with the customer', 'Provision the customer''s instance', 'Send the access details')
      AND EXISTS (SELECT 1 FROM checklist_steps c JOIN orders o ON o.product_id = c.product_id
                  WHERE o.subscription_id = order_steps.subscription_id AND c.title = order_steps.title AND c.customer_title_de <> '');
