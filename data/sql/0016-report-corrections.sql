-- Corrections to a report (its category, its answers to the category's questions):
-- the answers a timeline entry replaced or dropped are kept with it, so that what
-- the resident answered is never lost when staff correct the report.
CREATE TABLE attribute_history (
  update_id INTEGER NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  code      TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (update_id, position)
) WITHOUT ROWID;
