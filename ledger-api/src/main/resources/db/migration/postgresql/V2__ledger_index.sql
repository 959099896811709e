-- The ledger index: the facts that rules spanning aggregates look up (LedgerIndex, SPEC §11), and the routes the API
-- needs from a voucher or grant id to its program. Written by the subscribing processor "ledger-index" in the same
-- transaction that appends the events it indexes, so a row exists exactly when its event was committed. The primary
-- keys are the rules: two nodes racing on one invoice or one contract cannot both commit.

-- Accredited compute providers and model vendors (national). legal_id is the USCC for CN providers.
CREATE TABLE provider_index (
    provider_id     VARCHAR(64)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    legal_id        VARCHAR(64)  NOT NULL,
    corporate_group VARCHAR(64),
    country         VARCHAR(2)   NOT NULL,
    accredited      BOOLEAN      NOT NULL,
    CONSTRAINT provider_index_pk PRIMARY KEY (provider_id)
);

-- Generative models filed with the regulator.
CREATE TABLE model_index (
    filing_no  VARCHAR(64) NOT NULL,
    vendor_id  VARCHAR(64) NOT NULL,
    country    VARCHAR(2)  NOT NULL,
    registered BOOLEAN     NOT NULL,
    CONSTRAINT model_index_pk PRIMARY KEY (filing_no)
);

-- A contract (province, provider, contractRef) is bound to the first voucher that redeems against it.
CREATE TABLE contract_binding (
    province     VARCHAR(8)    NOT NULL,
    provider_id  VARCHAR(64)   NOT NULL,
    contract_ref VARCHAR(1000) NOT NULL,
    voucher_id   VARCHAR(64)   NOT NULL,
    program_id   VARCHAR(64)   NOT NULL,
    CONSTRAINT contract_binding_pk PRIMARY KEY (province, provider_id, contract_ref)
);

-- An invoice (provider, invoiceRef) is paid once nationally.
CREATE TABLE invoice_payment (
    provider_id   VARCHAR(64)   NOT NULL,
    invoice_ref   VARCHAR(1000) NOT NULL,
    voucher_id    VARCHAR(64)   NOT NULL,
    program_id    VARCHAR(64)   NOT NULL,
    redemption_id VARCHAR(64)   NOT NULL,
    CONSTRAINT invoice_payment_pk PRIMARY KEY (provider_id, invoice_ref)
);

-- The first corporate group recorded for a beneficiary (USCC) in a province binds it there.
CREATE TABLE beneficiary_group (
    province        VARCHAR(8)  NOT NULL,
    beneficiary_id  VARCHAR(64) NOT NULL,
    corporate_group VARCHAR(64) NOT NULL,
    CONSTRAINT beneficiary_group_pk PRIMARY KEY (province, beneficiary_id)
);

-- Where each voucher lives (voucher ids are unique nationally, so /vouchers/{id} routes to one program), and what an
-- expiry sweep needs: ACTIVE vouchers whose expires_at has passed are due for ExpireVoucher.
CREATE TABLE voucher_location (
    voucher_id VARCHAR(64)              NOT NULL,
    program_id VARCHAR(64)              NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    status     VARCHAR(16)              NOT NULL,
    CONSTRAINT voucher_location_pk PRIMARY KEY (voucher_id)
);
CREATE INDEX voucher_location_due_idx ON voucher_location (status, expires_at);

-- Where each housing grant lives (grant ids are unique nationally).
CREATE TABLE grant_location (
    grant_id   VARCHAR(64) NOT NULL,
    program_id VARCHAR(64) NOT NULL,
    CONSTRAINT grant_location_pk PRIMARY KEY (grant_id)
);
