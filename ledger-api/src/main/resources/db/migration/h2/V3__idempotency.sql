-- Idempotency-Key outcomes (SPEC §3, §11). A key is scoped to (principal, method, path); "same body" means the same
-- RFC 8785 canonical JSON, compared by its SHA-256. A row is IN_PROGRESS while the first request runs (a retry then
-- answers 409 IDEMPOTENCY_IN_PROGRESS) and COMPLETED with the response once it answered 2xx or 422; other outcomes
-- delete the row, so the request can be retried. Completed rows are kept for the configured retention (30 days).
CREATE TABLE idempotency_record (
    principal        VARCHAR(200)  NOT NULL,
    http_method      VARCHAR(10)   NOT NULL,
    path             VARCHAR(1000) NOT NULL,
    idempotency_key  VARCHAR(255)  NOT NULL,
    body_sha256      VARCHAR(64)   NOT NULL,
    state            VARCHAR(16)   NOT NULL,
    response_status  INTEGER,
    content_type     VARCHAR(200),
    location         VARCHAR(1000),
    response_body    VARBINARY,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT idempotency_record_pk PRIMARY KEY (principal, http_method, path, idempotency_key)
);
CREATE INDEX idempotency_record_created_idx ON idempotency_record (created_at);
