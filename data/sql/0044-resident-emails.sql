-- Emails to residents about their reports: a row per email, queued by the change
-- that calls for it and written to the outbox when it is due. Queued rows are the
-- debounce: changes while an email of the same kind is queued for the report are
-- gathered into it (one queued row per report and kind), and the row survives a
-- restart. The address is the report's (never copied here). kind: confirmation,
-- update, moderated, questionnaire. state: queued,
-- sent (written to the outbox), opted_out (the resident asked for no emails),
-- failed (error says why), skipped (no longer to be sent: no address left).
CREATE TABLE resident_emails (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'queued',
  created     INTEGER NOT NULL,
  due         INTEGER NOT NULL,
  from_update INTEGER,            -- update: the first timeline row it tells of
  sent        INTEGER,            -- when it was written (or given up)
  subject     TEXT,
  file        TEXT,               -- the outbox file
  error       TEXT,
  token_hash  TEXT UNIQUE,        -- questionnaire: SHA-256 of the link's token
  answered    INTEGER,
  answer      TEXT                -- questionnaire: fixed, not_fixed
);
CREATE UNIQUE INDEX resident_emails_queued ON resident_emails (report_id, kind)
  WHERE state = 'queued';
CREATE INDEX resident_emails_due ON resident_emails (due) WHERE state = 'queued';
CREATE INDEX resident_emails_report ON resident_emails (report_id, id);

-- Each council's texts for those emails, by kind; a kind without one uses the
-- built-in text. {{placeholders}} are filled from the report.
CREATE TABLE email_templates (
  id       INTEGER PRIMARY KEY,
  body_id  INTEGER NOT NULL REFERENCES bodies (id),
  kind     TEXT NOT NULL,
  subject  TEXT NOT NULL,
  text     TEXT NOT NULL,
  html     TEXT NOT NULL DEFAULT '',
  updated  INTEGER NOT NULL,
  UNIQUE (body_id, kind)
);

-- Response templates: the status code given to other systems, a text for the
-- email beside the public one, and whether it is applied by itself when a report
-- reaches its state.
ALTER TABLE templates ADD COLUMN external_status_code TEXT;
ALTER TABLE templates ADD COLUMN email_text TEXT;
ALTER TABLE templates ADD COLUMN auto_response INTEGER NOT NULL DEFAULT 0;
-- The email's text of an update when it differs from the public text.
ALTER TABLE updates ADD COLUMN email_text TEXT;

-- Reports from Open311 clients are not emailed unless the client's key says so.
ALTER TABLE api_keys ADD COLUMN notify_residents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id);
