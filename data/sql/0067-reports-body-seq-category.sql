-- The sync walks a council's reports by (body_id, seq) and leaves out the
-- categories the caller may not see: with the category in the index, a page of
-- kept items is read from the index and the items alone, never from the
-- reports' rows.
DROP INDEX reports_body_seq;
CREATE INDEX reports_body_seq ON reports (body_id, seq, category_id);
