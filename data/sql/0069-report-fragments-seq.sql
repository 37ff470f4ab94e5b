-- Which reports have their sync item kept, without the items: the housekeeping
-- asks for the first report (in seq order) that lacks one before it walks, and
-- answers from this index (16 MB a million reports on SQLite) instead of reading
-- the items themselves (950 MB).
CREATE INDEX report_fragments_seq ON report_fragments (report_id, seq);
