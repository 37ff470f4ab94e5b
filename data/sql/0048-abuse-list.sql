-- A council's abuse list: email addresses, phone numbers and email domains that
-- may not report (Open311 and on behalf). value is normalised: an address or a
-- domain lower-cased, a phone number as its last 10 digits.
CREATE TABLE abuse_list (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: audit entries name it
  body_id     INTEGER NOT NULL REFERENCES bodies (id),
  kind        TEXT NOT NULL,        -- email, phone, domain
  value       TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  created     INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  UNIQUE (body_id, kind, value)
);
