-- Four-eyes approval requests (SPEC §3, §11), written by the ledger index's subscribing processor in the same
-- transaction as the ApprovalRequested, ApprovalGranted and ApprovalRejected events, so that a request answered 202
-- can be found, approved or rejected at once. status is PENDING, APPROVED or REJECTED; a pending request past
-- expires_at is reported as EXPIRED. Amounts are decimal strings of the currency; command is the request's command
-- as its event holds it (JSON).
CREATE TABLE approval_request (
    request_id   VARCHAR(64)              NOT NULL,
    program_id   VARCHAR(64)              NOT NULL,
    province     VARCHAR(8)               NOT NULL,
    action       VARCHAR(32)              NOT NULL,
    amount       VARCHAR(32)              NOT NULL,
    threshold    VARCHAR(32)              NOT NULL,
    currency     VARCHAR(3)               NOT NULL,
    maker        VARCHAR(1000)            NOT NULL,
    checker      VARCHAR(1000),
    status       VARCHAR(16)              NOT NULL,
    reason       VARCHAR(1000),
    command      VARCHAR(20000)           NOT NULL,
    requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT approval_request_pk PRIMARY KEY (request_id)
);
CREATE INDEX approval_request_province_idx ON approval_request (province, status, requested_at);
