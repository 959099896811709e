-- Issue 12: references compared normalized, invoices keyed on the provider's legal identity, a (lease, month) paid
-- once nationally, one provider id per legal identity and kind, and the members of a corporate group looked up by
-- group (SPEC §11). The normalized keys of existing rows are filled by V11 (Java: Unicode NFKC is not SQL); V12 then
-- makes them unique.

-- An invoice is keyed on (the provider's legal identity, the normalized invoiceRef). NULL only for a row paid before
-- the rule whose key an earlier row already holds: kept for the record, it holds no key.
ALTER TABLE invoice_payment ADD COLUMN legal_identity VARCHAR(80);
ALTER TABLE invoice_payment ADD COLUMN invoice_key VARCHAR(1000);

-- A contract is bound by (province, provider, the normalized contractRef); NULL as above for an older duplicate.
ALTER TABLE contract_binding ADD COLUMN contract_key VARCHAR(1000);

-- A month of rent under a lease is paid at most once nationally, whichever grant claims it.
CREATE TABLE lease_month_payment (
    lease_key  VARCHAR(1000) NOT NULL,
    rent_month VARCHAR(7)    NOT NULL,
    lease_ref  VARCHAR(1000) NOT NULL,
    grant_id   VARCHAR(64)   NOT NULL,
    program_id VARCHAR(64)   NOT NULL,
    CONSTRAINT lease_month_payment_pk PRIMARY KEY (lease_key, rent_month)
);

-- The provider id a legal identity ("country:id") holds for a kind; a withdrawn accreditation keeps holding it.
CREATE TABLE provider_identity (
    legal_identity VARCHAR(80) NOT NULL,
    kind           VARCHAR(16) NOT NULL,
    provider_id    VARCHAR(64) NOT NULL,
    CONSTRAINT provider_identity_pk PRIMARY KEY (legal_identity, kind)
);
-- A ledger that accredited one legal identity under two ids before the rule keeps both; the first id holds the slot.
INSERT INTO provider_identity (legal_identity, kind, provider_id)
SELECT country || ':' || legal_id, kind, MIN(provider_id) FROM provider_index GROUP BY country, legal_id, kind;

-- The group cap counts every USCC bound to the group in the province.
CREATE INDEX beneficiary_group_members_idx ON beneficiary_group (province, corporate_group);
