-- Finding a caller's reports: by the last 10 digits of the reporter's phone as
-- written (the same expression as the query's, in ks-sqlite-store-lookup.c), and
-- by a report's external reference.
CREATE INDEX reports_reporter_phone_digits ON reports (body_id,
  substr (replace (replace (replace (replace (replace (replace (reporter_phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', ''), '.', ''), -10))
  WHERE reporter_phone IS NOT NULL;
CREATE INDEX reports_external_id ON reports (body_id, external_id) WHERE external_id IS NOT NULL;
