-- When the council first responded to the report (docs/admin.md, "Response
-- times"): the first staff timeline entry that is public, or that moved the
-- report to a state other than confirmed, unconfirmed or hidden. NULL: not yet.
-- Set in the transaction of that entry; filled here from the timelines so far.
ALTER TABLE reports ADD COLUMN responded INTEGER;
UPDATE reports SET responded = (
  SELECT min(u.created) FROM updates u
  WHERE u.report_id = reports.id AND u.user_id IS NOT NULL AND u.source = 'staff'
    AND (u.public != 0
         OR (u.state IS NOT NULL AND u.state NOT IN ('confirmed', 'unconfirmed', 'hidden'))));
-- The sync items carry it: render them again.
DELETE FROM report_fragments;
