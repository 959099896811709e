-- The budget read model (SPEC §4, §5), written by the tracking processor "budget" (BudgetProjector) behind the log.
-- Rebuildable at any time: a reset of the processor empties these tables and replays the log into them. Amounts are
-- exact decimals of the program's currency. committed is deliberately NOT a column of budget_program: it is summed
-- bottom-up from the ACTIVE vouchers' remaining value and the COMMITTED housing months (BudgetReadModel).

-- One row per program: its definition and the flows of money, as running sums. last_sequence is the sequence number
-- of the program's last event applied, so an event delivered twice is applied once.
CREATE TABLE budget_program (
    program_id    VARCHAR(64)              NOT NULL,
    name          VARCHAR(1000)            NOT NULL,
    kind          VARCHAR(32)              NOT NULL,
    province      VARCHAR(8)               NOT NULL,
    city          VARCHAR(1000),
    currency      VARCHAR(3)               NOT NULL,
    rules         VARCHAR(20000)           NOT NULL,
    status        VARCHAR(16)              NOT NULL,
    launched_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    appropriated  NUMERIC(24, 2)           NOT NULL,
    issued        NUMERIC(24, 2)           NOT NULL,
    granted       NUMERIC(24, 2)           NOT NULL,
    disbursed     NUMERIC(24, 2)           NOT NULL,
    paid          NUMERIC(24, 2)           NOT NULL,
    released      NUMERIC(24, 2)           NOT NULL,
    clawback_due  NUMERIC(24, 2)           NOT NULL,
    last_sequence BIGINT                   NOT NULL,
    CONSTRAINT budget_program_pk PRIMARY KEY (program_id)
);
CREATE INDEX budget_program_province_idx ON budget_program (province);

-- One row per voucher. remaining counts toward committed while status is ACTIVE; it falls due (forwardLiabilities) in
-- expiry_fiscal_year, the jurisdiction's fiscal year containing expires_at.
CREATE TABLE budget_voucher (
    voucher_id         VARCHAR(64)              NOT NULL,
    program_id         VARCHAR(64)              NOT NULL,
    province           VARCHAR(8)               NOT NULL,
    currency           VARCHAR(3)               NOT NULL,
    status             VARCHAR(16)              NOT NULL,
    face_value         NUMERIC(24, 2)           NOT NULL,
    redeemed           NUMERIC(24, 2)           NOT NULL,
    settled            NUMERIC(24, 2)           NOT NULL,
    released           NUMERIC(24, 2)           NOT NULL,
    remaining          NUMERIC(24, 2)           NOT NULL,
    issued_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    issue_fiscal_year  INTEGER                  NOT NULL,
    expiry_fiscal_year INTEGER                  NOT NULL,
    CONSTRAINT budget_voucher_pk PRIMARY KEY (voucher_id)
);
CREATE INDEX budget_voucher_program_idx ON budget_voucher (program_id, status);
CREATE INDEX budget_voucher_province_idx ON budget_voucher (province, status);

-- One row per housing grant.
CREATE TABLE budget_housing_grant (
    grant_id        VARCHAR(64)              NOT NULL,
    program_id      VARCHAR(64)              NOT NULL,
    province        VARCHAR(8)               NOT NULL,
    currency        VARCHAR(3)               NOT NULL,
    start_month     VARCHAR(7)               NOT NULL,
    monthly_rent    NUMERIC(24, 2)           NOT NULL,
    committed       NUMERIC(24, 2)           NOT NULL,
    paid            NUMERIC(24, 2)           NOT NULL,
    released        NUMERIC(24, 2)           NOT NULL,
    clawback_due    NUMERIC(24, 2)           NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    granted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    effective_month VARCHAR(7),
    CONSTRAINT budget_housing_grant_pk PRIMARY KEY (grant_id)
);
CREATE INDEX budget_housing_grant_program_idx ON budget_housing_grant (program_id, status);

-- One row per month of a grant's schedule: COMMITTED until it is PAID, LAPSED (unclaimed) or RELEASED (terminated).
-- committed is the month's commitment; while the month is COMMITTED it counts toward committed and falls due in
-- fiscal_year, the jurisdiction's fiscal year of the month.
CREATE TABLE budget_housing_month (
    grant_id    VARCHAR(64)    NOT NULL,
    rent_month  VARCHAR(7)     NOT NULL,
    program_id  VARCHAR(64)    NOT NULL,
    province    VARCHAR(8)     NOT NULL,
    currency    VARCHAR(3)     NOT NULL,
    grant_year  INTEGER        NOT NULL,
    fiscal_year INTEGER        NOT NULL,
    committed   NUMERIC(24, 2) NOT NULL,
    paid        NUMERIC(24, 2) NOT NULL,
    released    NUMERIC(24, 2) NOT NULL,
    status      VARCHAR(16)    NOT NULL,
    CONSTRAINT budget_housing_month_pk PRIMARY KEY (grant_id, rent_month)
);
CREATE INDEX budget_housing_month_program_idx ON budget_housing_month (program_id, status);
CREATE INDEX budget_housing_month_province_idx ON budget_housing_month (province, status);

-- The nodes running event processors, with a heartbeat: each node claims a fair share of a processor's segments
-- (segments / live nodes), so that several nodes sharing this database split the processing (ProcessorNodes).
CREATE TABLE event_processor_node (
    node_id      VARCHAR(255)             NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT event_processor_node_pk PRIMARY KEY (node_id)
);
