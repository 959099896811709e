-- The events of each voucher and housing grant, for the history of GET /vouchers/{id} and GET /housing-grants/{id}
-- (SPEC §5). A voucher's or grant's events live in its program's stream among those of every other voucher and grant
-- of the program; this table points at them, (program stream, sequence number), so a view reads exactly its own rows
-- of domain_event_entry. Written by the subscribing "ledger-index" processor, in the transaction of the events.
CREATE TABLE entity_event (
    entity_kind     VARCHAR(8)  NOT NULL,
    entity_id       VARCHAR(64) NOT NULL,
    program_id      VARCHAR(64) NOT NULL,
    sequence_number BIGINT      NOT NULL,
    CONSTRAINT entity_event_pk PRIMARY KEY (entity_kind, entity_id, sequence_number)
);
