-- API keys may expire (有效期): authentication refuses a key at or after
-- expires_at. created_by names the user who issued the key (an
-- administrator over REST, "system" from the command line), so that a key
-- an administrator issued for a colleague is visible as such.
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
ALTER TABLE api_keys ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
