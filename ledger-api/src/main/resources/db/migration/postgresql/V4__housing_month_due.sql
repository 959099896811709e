-- Housing months still committed, with the instant their claim window closes (SPEC §11): the lapse sweep sends
-- LapseHousingMonths for every grant with a row due. Written by the subscribing "ledger-index" processor, in the
-- transaction of the events: a month's row is inserted by its grant and deleted when it is paid, lapsed or released.
CREATE TABLE housing_month_due (
    grant_id   VARCHAR(64)              NOT NULL,
    due_month  VARCHAR(7)               NOT NULL,
    program_id VARCHAR(64)              NOT NULL,
    lapse_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT housing_month_due_pk PRIMARY KEY (grant_id, due_month)
);
CREATE INDEX housing_month_due_lapse_idx ON housing_month_due (lapse_at);
