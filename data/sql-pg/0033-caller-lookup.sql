-- Finding a caller's reports: by the last 10 digits of the reporter's phone (the
-- same expression as the query's, in ks-pg-store-lookup.c), and by a report's
-- external reference.
CREATE INDEX reports_reporter_phone_digits ON reports (body_id,
  right (regexp_replace (reporter_phone, '[^0-9]', '', 'g'), 10))
  WHERE reporter_phone IS NOT NULL;
CREATE INDEX reports_external_id ON reports (body_id, external_id) WHERE external_id IS NOT NULL;
