-- The authentication epoch: a single counter moved forward, in the same
-- transaction, by every change that can alter who a session's bearer is or
-- what they may do (the session revoked, shortened or removed; the account's
-- council, name, email, superuser flag, activity, two-factor state or password;
-- its roles, its own permissions, a role's permissions; assigned categories
-- and areas; a council's two-factor rule). Every server instance keeps each
-- session's principal in memory and reads this one row on every request: when
-- it moved, everything kept is dropped, so the change is seen by the very next
-- request, whichever instance or command made it. Signing in (a new session)
-- and a session's idle expiry moved forward on use do not move it.
CREATE TABLE auth_epoch (
  id integer PRIMARY KEY CHECK (id = 1),
  n  bigint NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 1);

CREATE FUNCTION auth_epoch_bump () RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth_epoch SET n = n + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER auth_epoch_session AFTER UPDATE ON sessions
  FOR EACH ROW WHEN (OLD.revoked IS DISTINCT FROM NEW.revoked OR NEW.expires < OLD.expires
    OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.token_hash IS DISTINCT FROM NEW.token_hash
    OR OLD.created IS DISTINCT FROM NEW.created)
  EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_session_gone AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();

CREATE TRIGGER auth_epoch_user AFTER UPDATE ON users
  FOR EACH ROW WHEN (OLD.body_id IS DISTINCT FROM NEW.body_id OR OLD.email IS DISTINCT FROM NEW.email
    OR OLD.name IS DISTINCT FROM NEW.name OR OLD.is_superuser IS DISTINCT FROM NEW.is_superuser
    OR OLD.active IS DISTINCT FROM NEW.active OR OLD.totp_enabled IS DISTINCT FROM NEW.totp_enabled
    OR OLD.password_hash IS DISTINCT FROM NEW.password_hash OR OLD.wards IS DISTINCT FROM NEW.wards)
  EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_user_gone AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();

CREATE TRIGGER auth_epoch_body AFTER UPDATE OF require_2fa ON bodies
  FOR EACH ROW WHEN (OLD.require_2fa IS DISTINCT FROM NEW.require_2fa)
  EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_body_gone AFTER DELETE ON bodies
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();

-- A category restricted to its assigned staff hides it from the others.
CREATE TRIGGER auth_epoch_category_new AFTER INSERT ON categories
  FOR EACH ROW WHEN (NEW.assigned_only <> 0) EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_category AFTER UPDATE ON categories
  FOR EACH ROW WHEN (OLD.assigned_only IS DISTINCT FROM NEW.assigned_only
    OR OLD.body_id IS DISTINCT FROM NEW.body_id)
  EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_category_gone AFTER DELETE ON categories
  FOR EACH ROW WHEN (OLD.assigned_only <> 0) EXECUTE FUNCTION auth_epoch_bump ();

-- Roles, what they grant and who holds them; own permissions; assigned
-- categories and areas: any row added, changed or removed.
CREATE TRIGGER auth_epoch_roles AFTER INSERT OR UPDATE OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_user_roles AFTER INSERT OR UPDATE OR DELETE ON user_roles
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_role_permissions AFTER INSERT OR UPDATE OR DELETE ON role_permissions
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_user_permissions AFTER INSERT OR UPDATE OR DELETE ON user_permissions
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_user_categories AFTER INSERT OR UPDATE OR DELETE ON user_categories
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
CREATE TRIGGER auth_epoch_role_categories AFTER INSERT OR UPDATE OR DELETE ON role_categories
  FOR EACH ROW EXECUTE FUNCTION auth_epoch_bump ();
