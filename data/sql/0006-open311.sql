-- Kerbside: Open311 GeoReport v2 (with servicerequestupdates).

-- API keys of Open311 client applications (FixMyStreet, other clients). Only the
-- SHA-256 of a key is kept; a key is shown once, when it is made.
CREATE TABLE api_keys (
  id        INTEGER PRIMARY KEY,
  body_id   INTEGER NOT NULL REFERENCES bodies (id),
  name      TEXT NOT NULL,
  key_hash  TEXT NOT NULL UNIQUE,   -- lower-case hex SHA-256 of the key
  created   INTEGER NOT NULL,
  revoked   INTEGER,                -- when it was revoked; NULL while it works
  last_used INTEGER
);
CREATE INDEX api_keys_body ON api_keys (body_id);

-- Answers to a category's extra questions (Open311 attribute[CODE] and
-- attribute[CODE][] values), in the order they came.
CREATE TABLE report_attributes (
  report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  code      TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
) WITHOUT ROWID;

-- The email address given with an update sent by an Open311 client (never public).
ALTER TABLE updates ADD COLUMN author_email TEXT;

-- An Open311 client's own update id is applied once per report.
CREATE INDEX updates_external ON updates (report_id, external_id) WHERE external_id IS NOT NULL;
