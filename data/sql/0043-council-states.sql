-- A council's own report states, beside the built-in ones: the report's state
-- column holds the code. Codes are unique across councils (a code names one
-- state wherever it appears) and never those of the built-in states.
CREATE TABLE states (
  id             INTEGER PRIMARY KEY,
  body_id        INTEGER NOT NULL REFERENCES bodies (id),
  code           TEXT NOT NULL UNIQUE,
  label          TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('open', 'fixed', 'closed')),
  open311_status TEXT,                      -- NULL: by its kind
  position       INTEGER NOT NULL DEFAULT 0,
  active         INTEGER NOT NULL DEFAULT 1,
  updated        INTEGER NOT NULL
);
CREATE INDEX states_body ON states (body_id);
