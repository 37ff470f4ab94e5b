-- A council's Open311 destinations, edited by its administrators: a category's
-- destination open311:NAME sends to the active row of its council with that
-- name (before an [open311 NAME] group of the server's configuration, which
-- serves when there is no such row). api_key is never given back: the API shows
-- api_key_set and api_key_last4 (only for keys of 8 characters or more).
CREATE TABLE open311_destinations (
  id               INTEGER PRIMARY KEY,
  body_id          INTEGER NOT NULL REFERENCES bodies (id),
  name             TEXT NOT NULL,
  endpoint         TEXT NOT NULL,   -- base URL: .../open311/v2/ (requests.json is added)
  api_key          TEXT,
  api_key_set      INTEGER NOT NULL DEFAULT 0,
  api_key_last4    TEXT,
  jurisdiction_id  TEXT,
  idempotent       INTEGER NOT NULL DEFAULT 0,  -- honours Idempotency-Key
  active           INTEGER NOT NULL DEFAULT 1,
  updated          INTEGER NOT NULL,
  UNIQUE (body_id, name)
);
