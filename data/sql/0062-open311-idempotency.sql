-- Kerbside: Idempotency-Key on an Open311 client's POST requests. The first answer
-- to a key (per API key) is kept with the lower-case hex SHA-256 of the request
-- (method, path and body) for 24 hours: the same key and body answer it again and
-- create nothing; the same key with another body is refused (422). The server's
-- hourly housekeeping removes rows older than a day.
CREATE TABLE open311_idempotency (
  api_key_id   INTEGER NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL DEFAULT 0,
  response     TEXT,
  created      INTEGER NOT NULL,
  PRIMARY KEY (api_key_id, key)
);
CREATE INDEX open311_idempotency_created ON open311_idempotency (created);
