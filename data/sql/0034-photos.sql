-- Several photos per report and per update. Every photo the server stores (the
-- media directory's files, '/api/v1/media/NAME') is a row here, in order: the
-- report's own (update_id NULL) and each update's. reports.photo and updates.photo
-- stay the first photo (or the first media URL an Open311 client sent), so that
-- has_photo, Open311 and the exports read as before.
CREATE TABLE photos (
  id         INTEGER PRIMARY KEY,
  report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  update_id  INTEGER REFERENCES updates (id) ON DELETE CASCADE,  -- NULL: the report's own
  position   INTEGER NOT NULL,
  ref        TEXT NOT NULL,
  created    INTEGER NOT NULL
);
CREATE INDEX photos_report ON photos (report_id, update_id, position);
CREATE INDEX photos_ref ON photos (ref);

INSERT INTO photos (report_id, update_id, position, ref, created)
  SELECT id, NULL, 0, photo, created FROM reports WHERE photo LIKE '/api/v1/media/%';
INSERT INTO photos (report_id, update_id, position, ref, created)
  SELECT report_id, id, 0, photo, created FROM updates WHERE photo LIKE '/api/v1/media/%';

-- A redaction (action 'redact_photo') or its undoing ('restore_photo') keeps the
-- photo before in old_photo and the one that took its place in new_photo: the
-- original stays only in this history, which only moderators may open.
ALTER TABLE moderation ADD COLUMN new_photo TEXT;
CREATE INDEX moderation_new_photo ON moderation (new_photo) WHERE new_photo IS NOT NULL;

-- The council's limit of photos per report and per update.
ALTER TABLE bodies ADD COLUMN max_photos INTEGER NOT NULL DEFAULT 5;
