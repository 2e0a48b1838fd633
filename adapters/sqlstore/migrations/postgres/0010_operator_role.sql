-- The operator role (服务运维): the person who runs the server reads the
-- figures that cannot be split by organisation (metrics, the whole audit
-- log's verification). Only the server's command line grants it; the
-- store refuses it to an organisation's administrator.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
    CHECK (role IN ('admin', 'assessor', 'reviewer', 'decision_maker', 'appraiser', 'caseworker', 'viewer', 'operator'));
