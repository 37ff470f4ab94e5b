-- Reports sent on to the team or contractor of their category's destination: one
-- row per report and destination, so that nothing is sent twice. destination: an
-- email address, or open311:NAME (an [open311 NAME] group of the server's
-- configuration). status: pending (not tried yet), sending (an attempt is under
-- way until next_attempt; a row found so after that lost its answer), sent,
-- retrying (next_attempt says when), failed (last_error says why).
CREATE TABLE sendings (
  id            INTEGER PRIMARY KEY,
  report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  destination   TEXT NOT NULL,
  status        TEXT NOT NULL DEFAULT 'pending',
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT,
  next_attempt  INTEGER NOT NULL,
  remote_id     TEXT,               -- Open311: the contractor's service_request_id
  generation    INTEGER NOT NULL DEFAULT 0,  -- resends so far (a resend is a new email)
  created       INTEGER NOT NULL,
  updated       INTEGER NOT NULL,
  sent          INTEGER,            -- when it was last sent
  polled_until  INTEGER,            -- Open311: the contractor's updates are read up to here
  UNIQUE (report_id, destination)
);
CREATE INDEX sendings_due ON sendings (next_attempt) WHERE status IN ('pending', 'retrying', 'sending');
CREATE INDEX sendings_failed ON sendings (status) WHERE status = 'failed';
