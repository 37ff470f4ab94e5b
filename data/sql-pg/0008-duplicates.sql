-- Duplicates: a report marked as a duplicate of another keeps the other's id (the
-- original lists its duplicates through the index) and the state it had before,
-- which undoing the mark restores. No foreign key, as on SQLite: the demo rewrite
-- deletes the reports it made, and a link to a report that is gone reads as none.
ALTER TABLE reports ADD COLUMN duplicate_of bigint;
ALTER TABLE reports ADD COLUMN state_before_duplicate text COLLATE "C";
CREATE INDEX reports_duplicate_of ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- How far (metres) nearby suggestions look for open reports of the same category.
ALTER TABLE categories ADD COLUMN duplicate_radius integer NOT NULL DEFAULT 50;
