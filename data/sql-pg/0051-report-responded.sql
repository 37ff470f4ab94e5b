-- When the council first responded to the report (docs/admin.md, "Response
-- times"): the first staff timeline entry that is public, or that moved the
-- report to a state other than confirmed, unconfirmed or hidden. NULL: not yet.
-- Set in the transaction of that entry; filled here from the timelines so far.
ALTER TABLE reports ADD COLUMN responded bigint;
UPDATE reports r SET responded = f.first
FROM (SELECT u.report_id, min(u.created) AS first FROM updates u
      WHERE u.user_id IS NOT NULL AND u.source = 'staff'
        AND (u.public != 0
             OR (u.state IS NOT NULL AND u.state NOT IN ('confirmed', 'unconfirmed', 'hidden')))
      GROUP BY u.report_id) f
WHERE r.id = f.report_id;
-- The sync items carry it: render them again.
DELETE FROM report_fragments;
