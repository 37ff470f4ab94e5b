-- The authentication epoch: a single counter moved forward, in the same
-- transaction, by every change that can alter who a session's bearer is or
-- what they may do (the session revoked, shortened or removed; the account's
-- council, name, email, superuser flag, activity, two-factor state or password;
-- its roles, its own permissions, a role's permissions; assigned categories
-- and areas; a council's two-factor rule). The server keeps each session's
-- principal in memory and reads this one row on every request: when it moved,
-- everything kept is dropped, so the change is seen by the very next request,
-- whichever server instance or command made it. Signing in (a new session) and
-- a session's idle expiry moved forward on use do not move it.
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 1);

CREATE TRIGGER auth_epoch_session AFTER UPDATE ON sessions
WHEN OLD.revoked IS NOT NEW.revoked OR NEW.expires < OLD.expires
  OR OLD.user_id IS NOT NEW.user_id OR OLD.token_hash IS NOT NEW.token_hash
  OR OLD.created IS NOT NEW.created BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_session_gone AFTER DELETE ON sessions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;

CREATE TRIGGER auth_epoch_user AFTER UPDATE ON users
WHEN OLD.body_id IS NOT NEW.body_id OR OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name
  OR OLD.is_superuser IS NOT NEW.is_superuser OR OLD.active IS NOT NEW.active
  OR OLD.totp_enabled IS NOT NEW.totp_enabled OR OLD.password_hash IS NOT NEW.password_hash
  OR OLD.wards IS NOT NEW.wards BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_gone AFTER DELETE ON users BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;

CREATE TRIGGER auth_epoch_body AFTER UPDATE OF require_2fa ON bodies
WHEN OLD.require_2fa IS NOT NEW.require_2fa BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_body_gone AFTER DELETE ON bodies BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;

-- A category restricted to its assigned staff hides it from the others.
CREATE TRIGGER auth_epoch_category_new AFTER INSERT ON categories
WHEN NEW.assigned_only <> 0 BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_category AFTER UPDATE ON categories
WHEN OLD.assigned_only IS NOT NEW.assigned_only OR OLD.body_id IS NOT NEW.body_id BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_category_gone AFTER DELETE ON categories
WHEN OLD.assigned_only <> 0 BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;

-- Roles, what they grant and who holds them; own permissions; assigned
-- categories and areas: any row added, changed or removed.
CREATE TRIGGER auth_epoch_roles_new AFTER INSERT ON roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_roles_changed AFTER UPDATE ON roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_roles_gone AFTER DELETE ON roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_roles_new AFTER INSERT ON user_roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_roles_changed AFTER UPDATE ON user_roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_roles_gone AFTER DELETE ON user_roles BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_permissions_new AFTER INSERT ON role_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_permissions_changed AFTER UPDATE ON role_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_permissions_gone AFTER DELETE ON role_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_permissions_new AFTER INSERT ON user_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_permissions_changed AFTER UPDATE ON user_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_permissions_gone AFTER DELETE ON user_permissions BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_categories_new AFTER INSERT ON user_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_categories_changed AFTER UPDATE ON user_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_user_categories_gone AFTER DELETE ON user_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_categories_new AFTER INSERT ON role_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_categories_changed AFTER UPDATE ON role_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
CREATE TRIGGER auth_epoch_role_categories_gone AFTER DELETE ON role_categories BEGIN
  UPDATE auth_epoch SET n = n + 1;
END;
