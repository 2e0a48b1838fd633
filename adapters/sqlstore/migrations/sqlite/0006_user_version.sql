-- A user has a version (版本), raised by every change of roles or the
-- disabled flag, so that two administrators changing the same user at
-- once cannot lose a write: a change names the version it read and is
-- refused when the user has moved on.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
