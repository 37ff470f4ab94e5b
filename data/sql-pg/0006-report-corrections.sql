-- Corrections to a report (its category, its answers to the category's questions):
-- the answers a timeline entry replaced or dropped are kept with it, so that what
-- the resident answered is never lost when staff correct the report.
CREATE TABLE attribute_history (
  update_id bigint NOT NULL REFERENCES updates (id) ON DELETE CASCADE,
  position  integer NOT NULL,
  code      text NOT NULL,
  value     text NOT NULL,
  PRIMARY KEY (update_id, position)
);
