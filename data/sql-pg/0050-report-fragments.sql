-- Each report's rendered sync item (its JSON object without the reporter, the
-- same bytes for every caller), kept so that a sync or a list copies it instead
-- of reading the answers and photos and writing the JSON again. The list item is
-- the first list_len bytes followed by "}".
--
-- A fragment is kept only while it is fresh: every change to anything rendered
-- into it deletes it in the same transaction (the triggers below), and a sync
-- renders the reports that have none and keeps them (only when the report's seq
-- is still the one rendered). Databases from before start with none: the first
-- sync fills them.
CREATE TABLE report_fragments (
  report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  seq       bigint NOT NULL,   -- the report's seq when it was rendered
  list_len  integer NOT NULL,
  body      text NOT NULL
);

-- The report itself: any column.
CREATE FUNCTION report_fragments_report () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_fragments WHERE report_id = OLD.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_fragments_report AFTER UPDATE ON reports
  FOR EACH ROW EXECUTE FUNCTION report_fragments_report ();

-- The category's name and group.
CREATE FUNCTION report_fragments_category () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_fragments WHERE report_id IN (SELECT id FROM reports WHERE category_id = NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER report_fragments_category AFTER UPDATE OF name, group_name ON categories
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.group_name IS DISTINCT FROM NEW.group_name)
  EXECUTE FUNCTION report_fragments_category ();

-- The name of the staff member who acknowledged it.
CREATE FUNCTION report_fragments_staff () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_fragments WHERE report_id IN (SELECT id FROM reports WHERE acknowledged_by = OLD.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER report_fragments_staff AFTER UPDATE OF name ON users
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION report_fragments_staff ();
CREATE TRIGGER report_fragments_staff_gone AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION report_fragments_staff ();

-- Its answers and photos (a row added, changed or removed).
CREATE FUNCTION report_fragments_part () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM report_fragments WHERE report_id = OLD.report_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    DELETE FROM report_fragments WHERE report_id = NEW.report_id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_fragments_answer AFTER INSERT OR UPDATE OR DELETE ON report_attributes
  FOR EACH ROW EXECUTE FUNCTION report_fragments_part ();
CREATE TRIGGER report_fragments_photo AFTER INSERT OR UPDATE OR DELETE ON photos
  FOR EACH ROW EXECUTE FUNCTION report_fragments_part ();

-- Whether each photo is redacted.
CREATE FUNCTION report_fragments_redaction () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.new_photo IS NOT NULL THEN
    DELETE FROM report_fragments WHERE report_id = OLD.report_id
      OR report_id IN (SELECT report_id FROM photos WHERE ref = OLD.new_photo);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.new_photo IS NOT NULL THEN
    DELETE FROM report_fragments WHERE report_id = NEW.report_id
      OR report_id IN (SELECT report_id FROM photos WHERE ref = NEW.new_photo);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_fragments_redaction AFTER INSERT OR UPDATE OR DELETE ON moderation
  FOR EACH ROW EXECUTE FUNCTION report_fragments_redaction ();
