-- The map's list reads a page from the reports_cell index alone: the index also
-- carries every column of reports that the list shows (KS_PG_LIST_REPORT_COLUMNS
-- in src/server/postgres/ks-pg-report-rows.h), so that a page of 100 reports is
-- read without 100 lookups by id in the table (they were most of the work of a
-- list request). Same key as before: the council, the grid cell, newest first.
DROP INDEX reports_cell;
CREATE INDEX reports_cell ON reports (
  body_id,
  ((floor ((lat + 90.0) * 400.0))::bigint * 131072 + (floor ((lon + 180.0) * 250.0))::bigint),
  updated, id)
  INCLUDE (lat, lon, state, category_id, priority_id, title, ward, created, acknowledged,
           shortlist_user, photo, version, seq);
