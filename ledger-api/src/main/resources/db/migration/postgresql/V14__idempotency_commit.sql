-- A command sent under an Idempotency-Key commits at most once (SPEC §11, "under every crash timing"). The row is
-- inserted in the transaction that appends the command's events, so it exists exactly when those events do: a
-- retry after a crash between the commit and the answer finds it and appends nothing, and two runs of one key that
-- race cannot both commit (the primary key refuses the second). scope_sha256 is the SHA-256 of the key's scope
-- (principal, method, path, key), so the row needs no wide columns. Rows are forgotten with the kept outcomes.
CREATE TABLE idempotency_commit (
    scope_sha256  VARCHAR(64) NOT NULL,
    committed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT idempotency_commit_pk PRIMARY KEY (scope_sha256)
);
CREATE INDEX idempotency_commit_committed_idx ON idempotency_commit (committed_at);
