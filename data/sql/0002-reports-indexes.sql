-- Indexes for the report list and the sync feed.

-- Bounding-box lists, newest first. Reports are grouped by a grid cell of about
-- 280 m (0.0025 degrees of latitude by 0.004 degrees of longitude), newest first
-- within a cell, with the position kept in the index: a box query reads the few
-- newest entries of each cell it covers and merges them, instead of sorting every
-- report in the box. State, category and priority are in the index too, so that
-- the map's usual filters are answered from it alone. The cell expression must stay
-- identical to CELL_EXPR in src/server/ks-sqlite-store-reports.c, or the index
-- will not be used.
CREATE INDEX reports_cell ON reports (
  body_id,
  (CAST((lat + 90.0) * 400.0 AS INTEGER) * 131072 + CAST((lon + 180.0) * 250.0 AS INTEGER)),
  updated, id, lat, lon, state, category_id, priority_id);

-- Sync: a council's changes in sequence order.
CREATE INDEX reports_body_seq ON reports (body_id, seq);

-- List sort orders within a council (the keyset is the sort value, then the id).
CREATE INDEX reports_body_state_id ON reports (body_id, state, id);
CREATE INDEX reports_body_category_id ON reports (body_id, category_id, id);
CREATE INDEX reports_body_priority_id ON reports (body_id, IFNULL(priority_id, 0), id);
CREATE INDEX reports_body_ward_id ON reports (body_id, ward, id);
CREATE INDEX reports_body_title_id ON reports (body_id, title, id);

-- Tombstones of a council in sequence order are indexed already (tombstones_seq).
