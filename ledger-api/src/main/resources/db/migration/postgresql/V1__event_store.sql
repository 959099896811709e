-- The event store of Axon's JdbcEventStorageEngine, owned by Flyway (never by Hibernate and never by Axon's own
-- createSchema). Payloads and metadata are bytea holding UTF-8 JSON, never large objects (oid): an auditor reads an
-- event with plain psql:  SELECT global_index, payload_type, convert_from(payload, 'UTF8') FROM domain_event_entry;

-- global_index is a BIGSERIAL (a sequence with cache 1, one value per inserted row, allocated at insert time). A
-- rolled-back insert leaves a gap and transactions may commit out of index order; Axon's gap-aware tracking token
-- waits for such gaps up to gapTimeout (ledger.store.gap-timeout), so no tracking processor skips an event as long
-- as no appending transaction lives longer than that.
CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    NOT NULL,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    CONSTRAINT domain_event_entry_pk PRIMARY KEY (global_index),
    -- Two nodes appending the same sequence number of one aggregate: the second fails here (optimistic locking).
    CONSTRAINT domain_event_entry_aggregate_sequence_uk UNIQUE (aggregate_identifier, sequence_number),
    CONSTRAINT domain_event_entry_event_identifier_uk UNIQUE (event_identifier)
);

-- The log is append-only: what was appended is never changed or removed (tamper evidence starts here; the hash
-- chain of docs/AUDIT.md proves it to outsiders).
CREATE FUNCTION domain_event_entry_is_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'domain_event_entry is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER domain_event_entry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION domain_event_entry_is_append_only();

CREATE TRIGGER domain_event_entry_no_truncate
    BEFORE TRUNCATE ON domain_event_entry
    FOR EACH STATEMENT EXECUTE FUNCTION domain_event_entry_is_append_only();

-- Snapshots are a cache of an aggregate's state at a sequence number; Axon keeps the latest one per aggregate.
CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    CONSTRAINT snapshot_event_entry_pk PRIMARY KEY (aggregate_identifier, sequence_number),
    CONSTRAINT snapshot_event_entry_event_identifier_uk UNIQUE (event_identifier)
);

-- Positions of tracking / pooled streaming processors (JdbcTokenStore), e.g. the Kafka publisher.
CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pk PRIMARY KEY (processor_name, segment)
);
