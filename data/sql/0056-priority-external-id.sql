-- A response priority's id in other systems (a contractor's or an asset
-- system's), as the council's administrators give it.
ALTER TABLE priorities ADD COLUMN external_id TEXT;
