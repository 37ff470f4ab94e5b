-- Kerbside: initial schema. Timestamps are Unix seconds (UTC).

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
-- 'seq': the server-wide change sequence; every change to a report bumps it.
INSERT INTO meta (key, value) VALUES ('seq', 0);

CREATE TABLE bodies (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL,
  slug                TEXT NOT NULL UNIQUE,
  area_name           TEXT,
  min_lat REAL, min_lon REAL, max_lat REAL, max_lon REAL,
  require_2fa         INTEGER NOT NULL DEFAULT 0,
  password_min_length INTEGER NOT NULL DEFAULT 8,
  email               TEXT,
  created             INTEGER NOT NULL
);

CREATE TABLE users (
  id              INTEGER PRIMARY KEY,
  body_id         INTEGER REFERENCES bodies (id),       -- NULL for platform operators
  email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name            TEXT NOT NULL,
  phone           TEXT,
  password_hash   TEXT,
  is_superuser    INTEGER NOT NULL DEFAULT 0,
  active          INTEGER NOT NULL DEFAULT 1,
  totp_secret     TEXT,
  totp_enabled    INTEGER NOT NULL DEFAULT 0,
  totp_last_step  INTEGER NOT NULL DEFAULT 0,
  created         INTEGER NOT NULL,
  updated         INTEGER NOT NULL,
  last_login      INTEGER
);
CREATE INDEX users_body ON users (body_id);

CREATE TABLE roles (
  id        INTEGER PRIMARY KEY,
  body_id   INTEGER NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  UNIQUE (body_id, name)
);

CREATE TABLE role_permissions (
  role_id    INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (role_id, permission)
) WITHOUT ROWID;

CREATE TABLE user_roles (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;

CREATE TABLE user_permissions (
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  permission TEXT NOT NULL,
  PRIMARY KEY (user_id, permission)
) WITHOUT ROWID;

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  TEXT NOT NULL UNIQUE,
  created     INTEGER NOT NULL,
  last_used   INTEGER NOT NULL,
  expires     INTEGER NOT NULL,     -- absolute idle expiry, moved forward on use
  address     TEXT,
  user_agent  TEXT,
  revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-in attempts, for throttling; kept in the database so that a restart
-- does not reset them. scope is 'account' (key = lower-cased email) or 'address'.
CREATE TABLE login_failures (
  scope TEXT NOT NULL,
  key   TEXT NOT NULL,
  at    INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (scope, key, at);

CREATE TABLE categories (
  id          INTEGER PRIMARY KEY,
  body_id     INTEGER NOT NULL REFERENCES bodies (id),
  code        TEXT NOT NULL,
  name        TEXT NOT NULL,
  group_name  TEXT NOT NULL DEFAULT '',    -- one or more groups, separated by '|'
  description TEXT NOT NULL DEFAULT '',
  active      INTEGER NOT NULL DEFAULT 1,
  private     INTEGER NOT NULL DEFAULT 0,
  destination TEXT,                         -- email address the reports go to
  extra       TEXT NOT NULL DEFAULT '[]',   -- JSON: extra questions
  updated     INTEGER NOT NULL,
  UNIQUE (body_id, code)
);

CREATE TABLE priorities (
  id             INTEGER PRIMARY KEY,
  body_id        INTEGER NOT NULL REFERENCES bodies (id),
  name           TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  response_hours INTEGER,
  position       INTEGER NOT NULL DEFAULT 0,
  active         INTEGER NOT NULL DEFAULT 1,
  updated        INTEGER NOT NULL
);

CREATE TABLE priority_categories (
  priority_id INTEGER NOT NULL REFERENCES priorities (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (priority_id, category_id)
) WITHOUT ROWID;

CREATE TABLE templates (
  id        INTEGER PRIMARY KEY,
  body_id   INTEGER NOT NULL REFERENCES bodies (id),
  title     TEXT NOT NULL,
  text      TEXT NOT NULL,
  state     TEXT,                 -- choosing the template sets this state
  position  INTEGER NOT NULL DEFAULT 0,
  updated   INTEGER NOT NULL
);

CREATE TABLE template_categories (
  template_id INTEGER NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (template_id, category_id)
) WITHOUT ROWID;

CREATE TABLE reports (
  id               INTEGER PRIMARY KEY,
  body_id          INTEGER NOT NULL REFERENCES bodies (id),
  category_id      INTEGER NOT NULL REFERENCES categories (id),
  title            TEXT NOT NULL,
  detail           TEXT NOT NULL DEFAULT '',
  lat              REAL NOT NULL,
  lon              REAL NOT NULL,
  ward             TEXT NOT NULL DEFAULT '',
  address          TEXT,
  state            TEXT NOT NULL,
  priority_id      INTEGER REFERENCES priorities (id),
  reporter_name    TEXT,
  reporter_email   TEXT,
  reporter_phone   TEXT,
  show_name        INTEGER NOT NULL DEFAULT 0,   -- the reporter chose to show their name
  photo            TEXT,                          -- URL or media id of the photo, if any
  source           TEXT NOT NULL DEFAULT 'web',  -- web, open311, staff
  external_id      TEXT,
  created_by       INTEGER REFERENCES users (id), -- staff member who entered it on behalf
  created          INTEGER NOT NULL,
  confirmed        INTEGER,
  updated          INTEGER NOT NULL,
  acknowledged     INTEGER,
  acknowledged_by  INTEGER REFERENCES users (id),
  shortlist_user   INTEGER REFERENCES users (id),
  shortlist_pos    INTEGER,
  version          INTEGER NOT NULL DEFAULT 1,
  seq              INTEGER NOT NULL
);
CREATE INDEX reports_seq ON reports (seq);
CREATE INDEX reports_body_updated ON reports (body_id, updated DESC, id DESC);
CREATE INDEX reports_body_created ON reports (body_id, created DESC, id DESC);
CREATE INDEX reports_body_state ON reports (body_id, state, updated DESC);
CREATE INDEX reports_category ON reports (category_id, updated DESC);
CREATE INDEX reports_shortlist ON reports (shortlist_user, shortlist_pos) WHERE shortlist_user IS NOT NULL;
CREATE INDEX reports_reporter_email ON reports (reporter_email) WHERE reporter_email IS NOT NULL;

-- Bounding-box search. The auxiliary column lets a box query sort and filter
-- by time without touching the reports table.
CREATE VIRTUAL TABLE reports_rtree USING rtree (
  id, min_lat, max_lat, min_lon, max_lon, +updated
);

-- Text search over title and detail.
CREATE VIRTUAL TABLE reports_fts USING fts5 (
  title, detail, content='reports', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);

CREATE TRIGGER reports_ai AFTER INSERT ON reports BEGIN
  INSERT INTO reports_rtree (id, min_lat, max_lat, min_lon, max_lon, updated)
    VALUES (new.id, new.lat, new.lat, new.lon, new.lon, new.updated);
  INSERT INTO reports_fts (rowid, title, detail) VALUES (new.id, new.title, new.detail);
END;
CREATE TRIGGER reports_ad AFTER DELETE ON reports BEGIN
  DELETE FROM reports_rtree WHERE id = old.id;
  INSERT INTO reports_fts (reports_fts, rowid, title, detail) VALUES ('delete', old.id, old.title, old.detail);
END;
CREATE TRIGGER reports_au_geo AFTER UPDATE OF lat, lon, updated ON reports BEGIN
  UPDATE reports_rtree SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon,
    max_lon = new.lon, updated = new.updated WHERE id = new.id;
END;
CREATE TRIGGER reports_au_text AFTER UPDATE OF title, detail ON reports BEGIN
  INSERT INTO reports_fts (reports_fts, rowid, title, detail) VALUES ('delete', old.id, old.title, old.detail);
  INSERT INTO reports_fts (rowid, title, detail) VALUES (new.id, new.title, new.detail);
END;

-- Reports that a caller may no longer see (deleted, moved to another council,
-- or off a user's shortlist for users who only see their shortlist).
CREATE TABLE tombstones (
  report_id INTEGER NOT NULL,
  body_id   INTEGER NOT NULL,
  user_id   INTEGER,             -- NULL: for everyone in the body
  seq       INTEGER NOT NULL
);
CREATE INDEX tombstones_seq ON tombstones (body_id, seq);

-- The public timeline of a report and staff actions on it.
CREATE TABLE updates (
  id          INTEGER PRIMARY KEY,
  report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  user_id     INTEGER REFERENCES users (id),
  author_name TEXT,
  kind        TEXT NOT NULL,   -- update, state, acknowledge, request_info, priority, hide, created
  text        TEXT NOT NULL DEFAULT '',
  photo       TEXT,
  state       TEXT,            -- the state after this update, when it changed it
  priority_id INTEGER,
  public      INTEGER NOT NULL DEFAULT 1,
  source      TEXT NOT NULL DEFAULT 'staff', -- staff, open311, web
  external_id TEXT,            -- update id given by an Open311 client
  created     INTEGER NOT NULL
);
CREATE INDEX updates_report ON updates (report_id, created);
CREATE INDEX updates_created ON updates (created);

CREATE TABLE moderation (
  id            INTEGER PRIMARY KEY,
  report_id     INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  user_id       INTEGER REFERENCES users (id),
  reason        TEXT NOT NULL,
  created       INTEGER NOT NULL,
  old_title     TEXT, new_title  TEXT,
  old_detail    TEXT, new_detail TEXT,
  old_show_name INTEGER, new_show_name INTEGER,
  old_photo     TEXT,  photo_removed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX moderation_report ON moderation (report_id);

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER,
  body_id     INTEGER,
  action      TEXT NOT NULL,
  object_type TEXT,
  object_id   INTEGER,
  address     TEXT,
  details     TEXT             -- JSON
);
CREATE INDEX audit_log_body ON audit_log (body_id, at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- Idempotency keys of writes: a replay of the same key answers what the first
-- one answered, and changes nothing.
CREATE TABLE idempotency (
  user_id  INTEGER NOT NULL,
  key      TEXT NOT NULL,
  method   TEXT NOT NULL,
  path     TEXT NOT NULL,
  status   INTEGER NOT NULL,
  response TEXT NOT NULL,
  created  INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Emails written to the outbox (the files are the delivery; this is the record).
CREATE TABLE emails (
  id         INTEGER PRIMARY KEY,
  recipient  TEXT NOT NULL,
  subject    TEXT NOT NULL,
  file       TEXT,
  report_id  INTEGER,
  created    INTEGER NOT NULL
);
