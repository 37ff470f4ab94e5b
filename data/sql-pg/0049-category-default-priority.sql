-- The priority a report of the category gets when it is created, or moved into
-- the category, without one (NULL: none). A deleted priority is no one's default.
ALTER TABLE categories ADD COLUMN default_priority_id bigint
  REFERENCES priorities (id) ON DELETE SET NULL;
