-- Kerbside: the external status code of the template an update was made from (as
-- SQLite's 0063-update-external-status.sql).
ALTER TABLE updates ADD COLUMN external_status_code text;
