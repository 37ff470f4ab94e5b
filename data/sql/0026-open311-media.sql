-- Every media URL an Open311 client sent with a report or an update, in the order
-- sent (FixMyStreet sends one media_url per photo). The first one is also the
-- report's (or the update's) photo, as before. Kept apart from photos stored by
-- the server, so that a table of several photos per report can take them over.
CREATE TABLE open311_media (
  id         INTEGER PRIMARY KEY,
  report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  update_id  INTEGER REFERENCES updates (id) ON DELETE CASCADE,  -- NULL: the report's own
  position   INTEGER NOT NULL,
  url        TEXT NOT NULL
);
CREATE INDEX open311_media_report ON open311_media (report_id, position);
CREATE INDEX open311_media_update ON open311_media (update_id) WHERE update_id IS NOT NULL;
