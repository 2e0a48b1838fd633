-- The operator role (服务运维): the person who runs the server reads the
-- figures that cannot be split by organisation (metrics, the whole audit
-- log's verification). Only the server's command line grants it; the
-- store refuses it to an organisation's administrator. SQLite cannot
-- change a CHECK constraint, so the table is rebuilt with its rows.
CREATE TABLE user_roles_0010 (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'assessor', 'reviewer', 'decision_maker', 'appraiser', 'caseworker', 'viewer', 'operator')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_0010 (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_0010 RENAME TO user_roles;
