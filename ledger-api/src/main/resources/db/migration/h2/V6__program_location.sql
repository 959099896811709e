-- The province of each program, for province scoping (SPEC §9): a province officer sees and acts on the programs of
-- their own province only, and the vouchers and grants of those programs. Written by the subscribing "ledger-index"
-- processor in the transaction that launches the program.
CREATE TABLE program_location (
    program_id VARCHAR(64) NOT NULL,
    province   VARCHAR(8)  NOT NULL,
    CONSTRAINT program_location_pk PRIMARY KEY (program_id)
);
CREATE INDEX program_location_province_idx ON program_location (province);
