-- Councils: the settings a council is set up with (kerbside-server council create),
-- and its boundaries: the area it serves and its wards, imported from GeoJSON
-- (kerbside-server boundaries import). The server loads the polygons into
-- prepared geometries (GEOS) and gives every report the ward its point falls in.

-- The address of the council's own site for residents (links in emails).
ALTER TABLE bodies ADD COLUMN public_url TEXT;
-- The duplicate radius (metres) new categories start with.
ALTER TABLE bodies ADD COLUMN duplicate_radius INTEGER NOT NULL DEFAULT 50;
-- Data retention periods in days (0: kept until someone removes it): the personal
-- data of reporters of closed reports, and the audit log.
ALTER TABLE bodies ADD COLUMN retention_reporter_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bodies ADD COLUMN retention_audit_days INTEGER NOT NULL DEFAULT 0;

-- One row for the council's area (kind 'area') and one for each ward (kind 'ward').
-- geometry: a GeoJSON Polygon or MultiPolygon in WGS 84 (holes kept); the box
-- lets a reader skip what is far from a point without parsing it.
CREATE TABLE boundaries (
  id        INTEGER PRIMARY KEY,
  body_id   INTEGER NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
  kind      TEXT NOT NULL CHECK (kind IN ('area', 'ward')),
  name      TEXT NOT NULL,
  geometry  TEXT NOT NULL,
  min_lat REAL NOT NULL, min_lon REAL NOT NULL, max_lat REAL NOT NULL, max_lon REAL NOT NULL,
  imported  INTEGER NOT NULL
);
CREATE INDEX boundaries_body ON boundaries (body_id, kind, name);

-- 'boundaries': bumped by every import, so that each server instance notices a new
-- import with one cheap read and loads the polygons again.
INSERT INTO meta (key, value) VALUES ('boundaries', 0);
