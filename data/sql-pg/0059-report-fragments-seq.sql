-- Which reports have their sync item kept, without the items: the housekeeping
-- asks for the first report (in seq order) that lacks one before it walks, and
-- answers from this index (an index-only scan) instead of reading the items
-- themselves (some 700 bytes a report).
CREATE INDEX report_fragments_seq ON report_fragments (report_id, seq);
