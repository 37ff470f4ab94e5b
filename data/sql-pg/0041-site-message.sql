-- A council's site message: a banner every member of its staff sees
-- (out-of-hours notices and the like). NULL: none.
ALTER TABLE bodies ADD COLUMN site_message text;
ALTER TABLE bodies ADD COLUMN site_message_until bigint;    -- NULL: until removed
