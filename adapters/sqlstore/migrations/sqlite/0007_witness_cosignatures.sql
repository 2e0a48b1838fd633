-- Witnesses' cosignatures (见证人副署) on the transparency log's checkpoints
-- (C2SP tlog-cosignature): a witness, such as a supervising body, that has
-- checked a checkpoint is an append-only extension of every one it saw
-- before signs it with its own key, and the log keeps and serves the
-- signature. A log its operator forked can no longer show cosigned
-- checkpoints of both branches. No foreign key to audit_checkpoints: a
-- cosignature whose checkpoint is gone is a finding of audit verify, not
-- something the database may refuse to let happen.
CREATE TABLE audit_cosignatures (
    size       INTEGER NOT NULL, -- the cosigned checkpoint's tree size
    witness    TEXT NOT NULL,    -- the witness key's name
    key_hash   INTEGER NOT NULL, -- the witness key's hash (note key ID)
    signature  TEXT NOT NULL,    -- the note signature's base64 (key hash, time, Ed25519 signature)
    created_at TEXT NOT NULL,
    PRIMARY KEY (size, witness, key_hash)
);

CREATE TRIGGER audit_cosignatures_no_update BEFORE UPDATE ON audit_cosignatures
BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;
CREATE TRIGGER audit_cosignatures_no_delete BEFORE DELETE ON audit_cosignatures
BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;
