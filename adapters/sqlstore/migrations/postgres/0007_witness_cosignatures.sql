-- Witnesses' cosignatures (见证人副署) on the transparency log's checkpoints
-- (C2SP tlog-cosignature): a witness, such as a supervising body, that has
-- checked a checkpoint is an append-only extension of every one it saw
-- before signs it with its own key, and the log keeps and serves the
-- signature. A log its operator forked can no longer show cosigned
-- checkpoints of both branches. No foreign key to audit_checkpoints: a
-- cosignature whose checkpoint is gone is a finding of audit verify, not
-- something the database may refuse to let happen.
CREATE TABLE audit_cosignatures (
    size       BIGINT NOT NULL,  -- the cosigned checkpoint's tree size
    witness    TEXT NOT NULL,    -- the witness key's name
    key_hash   BIGINT NOT NULL,  -- the witness key's hash (note key ID)
    signature  TEXT NOT NULL,    -- the note signature's base64 (key hash, time, Ed25519 signature)
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (size, witness, key_hash)
);

CREATE TRIGGER audit_cosignatures_no_change BEFORE UPDATE OR DELETE ON audit_cosignatures
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_cosignatures_no_truncate BEFORE TRUNCATE ON audit_cosignatures
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
