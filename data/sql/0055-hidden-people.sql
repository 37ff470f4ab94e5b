-- "Hide everywhere": a moderator hid all of one person's reports and updates in
-- a council at once. A row per person (their email address, lower-cased) while
-- it holds; what it hid names the row (hidden_with), so that undoing it shows
-- again exactly those and not what was hidden one by one.
CREATE TABLE hidden_people (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: audit entries name it
  body_id     INTEGER NOT NULL REFERENCES bodies (id),
  email       TEXT NOT NULL,
  reason      TEXT NOT NULL DEFAULT '',
  created     INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  UNIQUE (body_id, email)
);
ALTER TABLE reports ADD COLUMN hidden_with INTEGER;
ALTER TABLE updates ADD COLUMN hidden_with INTEGER;
CREATE INDEX reports_hidden_with ON reports (hidden_with) WHERE hidden_with IS NOT NULL;
CREATE INDEX updates_hidden_with ON updates (hidden_with) WHERE hidden_with IS NOT NULL;
