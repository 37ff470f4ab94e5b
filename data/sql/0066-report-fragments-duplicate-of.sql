-- The sync item now carries "duplicate_of": the items kept rendered before it
-- lack it, so they go, and the next sync renders them again.
DELETE FROM report_fragments;
