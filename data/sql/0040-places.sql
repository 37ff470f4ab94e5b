-- The gazetteer: a council's streets, postcodes and named places (imported with
-- `kerbside-server places import`, docs/admin.md). key: the name folded for
-- matching (lower case, words of letters and digits, one space between);
-- compact: the key without its spaces ("ox1 1aa" -> "ox11aa"), so that a postcode
-- typed without its space is found. context: where it is ("Oxford, OX1").
CREATE TABLE places (
  id       INTEGER PRIMARY KEY,
  body_id  INTEGER NOT NULL REFERENCES bodies (id) ON DELETE CASCADE,
  kind     TEXT NOT NULL,
  name     TEXT NOT NULL,
  context  TEXT NOT NULL DEFAULT '',
  key      TEXT NOT NULL,
  compact  TEXT NOT NULL,
  lat      REAL NOT NULL,
  lon      REAL NOT NULL
);
CREATE INDEX places_body ON places (body_id);

-- Prefix queries ("high"* "st"*) over the folded words; the prefix indexes keep
-- short prefixes cheap.
CREATE VIRTUAL TABLE places_fts USING fts5 (
  key, compact, content='places', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);

CREATE TRIGGER places_ai AFTER INSERT ON places BEGIN
  INSERT INTO places_fts (rowid, key, compact) VALUES (new.id, new.key, new.compact);
END;
CREATE TRIGGER places_ad AFTER DELETE ON places BEGIN
  INSERT INTO places_fts (places_fts, rowid, key, compact) VALUES ('delete', old.id, old.key, old.compact);
END;
