-- When a first load's orders were announced in one mail: the deadline reminders they were
-- already due for then (7,400 at 100,000 orders, then one mail each, written while the console
-- served pages) are in that mail's count and the inbox's "Due soon" view, and are not sent one by
-- one; a threshold an order reaches afterwards is reminded as always.
CREATE TABLE first_load_announced (
    id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    at_ms  INTEGER NOT NULL
);
