-- Staff who work in their own area: the wards and categories a staff member or
-- a role is assigned, and categories whose reports only their assigned staff see.
ALTER TABLE categories ADD COLUMN assigned_only integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN wards text COLLATE "C" NOT NULL DEFAULT '';   -- ward names, separated by '|'
ALTER TABLE roles ADD COLUMN wards text COLLATE "C" NOT NULL DEFAULT '';

CREATE TABLE user_categories (
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  category_id bigint NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, category_id)
);

CREATE TABLE role_categories (
  role_id     bigint NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  category_id bigint NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, category_id)
);
