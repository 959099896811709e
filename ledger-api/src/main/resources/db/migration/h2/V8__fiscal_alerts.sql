-- Fiscal-sustainability alerts (SPEC §6), written by the tracking processor "alerts" (AlertProjector) behind the log.
-- Rebuildable at any time: a reset of the processor empties both tables and the replay writes the same rows again
-- (the same alert ids and raise/clear instants), because alerts are a pure function of the log.

-- Every alert, open (cleared_at NULL) or cleared. raised_index / cleared_index are the global indexes of the log
-- entries at which it was raised and cleared; figures is a JSON object of decimal strings, as at the raise.
CREATE TABLE fiscal_alert (
    alert_id      VARCHAR(64)              NOT NULL,
    code          VARCHAR(32)              NOT NULL,
    level         VARCHAR(16)              NOT NULL,
    province      VARCHAR(8)               NOT NULL,
    city          VARCHAR(1000),
    program_id    VARCHAR(64),
    currency      VARCHAR(3)               NOT NULL,
    raised_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    cleared_at    TIMESTAMP WITH TIME ZONE,
    raised_index  BIGINT                   NOT NULL,
    cleared_index BIGINT,
    figures       VARCHAR(20000)           NOT NULL,
    message       VARCHAR(2000)            NOT NULL,
    CONSTRAINT fiscal_alert_pk PRIMARY KEY (alert_id)
);
CREATE INDEX fiscal_alert_province_idx ON fiscal_alert (province, raised_at);

-- The outbox of alert transitions for publication (subsidy.ledger.alerts): one row per raise and per clear, in log
-- order (global_index, then entry_position within the entry: a level change clears before it raises). payload is the
-- whole alert (JSON) as it stood after the transition. Rows are written once and never rewritten, so a replay never
-- duplicates a row nor resets published_at, which only the publisher sets.
CREATE TABLE alert_transition (
    alert_id       VARCHAR(64)              NOT NULL,
    transition     VARCHAR(8)               NOT NULL,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    global_index   BIGINT                   NOT NULL,
    entry_position INTEGER                  NOT NULL,
    payload        VARCHAR(20000)           NOT NULL,
    published_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT alert_transition_pk PRIMARY KEY (alert_id, transition),
    CONSTRAINT alert_transition_kind CHECK (transition IN ('RAISED', 'CLEARED'))
);
CREATE INDEX alert_transition_order_idx ON alert_transition (global_index, entry_position);
