-- Kerbside: Idempotency-Key on an Open311 client's POST requests (as SQLite's
-- 0062-open311-idempotency.sql): the first answer to a key (per API key), with the
-- SHA-256 of the request, kept a day.
CREATE TABLE open311_idempotency (
  api_key_id   bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status       integer NOT NULL DEFAULT 0,
  response     text,
  created      bigint NOT NULL,
  PRIMARY KEY (api_key_id, key)
);
CREATE INDEX open311_idempotency_created ON open311_idempotency (created);
