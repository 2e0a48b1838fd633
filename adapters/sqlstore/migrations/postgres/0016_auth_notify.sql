-- The authentication cache's invalidation (authcache.go): every change
-- to what authentication reads notifies the channel ssra_auth in the
-- changing transaction, whoever makes it, and each server's listener
-- empties its cache when it hears one. A key's last-used stamp is not
-- something authentication reads, and does not notify.
CREATE FUNCTION ssra_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('ssra_auth', '');
	RETURN NULL;
END
$$;
CREATE TRIGGER api_keys_auth AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, user_id, hash, expires_at, revoked_at ON api_keys
	FOR EACH STATEMENT EXECUTE FUNCTION ssra_auth_changed();
CREATE TRIGGER users_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION ssra_auth_changed();
CREATE TRIGGER user_roles_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_roles
	FOR EACH STATEMENT EXECUTE FUNCTION ssra_auth_changed();
CREATE TRIGGER organisations_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations
	FOR EACH STATEMENT EXECUTE FUNCTION ssra_auth_changed();
