-- The budget read model's vouchers counted and summed per program, status and fiscal year of expiry, kept by the
-- budget projection in the transaction that changes budget_voucher. A province's committed figure, its voucher counts
-- and its forward liabilities are read from these few rows instead of from every voucher, so those reads do not grow
-- with the number of vouchers. Replay-and-compare checks the rows like every other budget table.
CREATE TABLE budget_voucher_total (
    program_id         VARCHAR(64)    NOT NULL,
    status             VARCHAR(16)    NOT NULL,
    expiry_fiscal_year INTEGER        NOT NULL,
    province           VARCHAR(8)     NOT NULL,
    currency           VARCHAR(3)     NOT NULL,
    vouchers           BIGINT         NOT NULL,
    remaining          NUMERIC(24, 2) NOT NULL,
    CONSTRAINT budget_voucher_total_pk PRIMARY KEY (program_id, status, expiry_fiscal_year)
);
CREATE INDEX budget_voucher_total_province_idx ON budget_voucher_total (province, status);

INSERT INTO budget_voucher_total (program_id, status, expiry_fiscal_year, province, currency, vouchers, remaining)
SELECT program_id, status, expiry_fiscal_year, MIN(province), MIN(currency), COUNT(*), SUM(remaining)
FROM budget_voucher
GROUP BY program_id, status, expiry_fiscal_year;
