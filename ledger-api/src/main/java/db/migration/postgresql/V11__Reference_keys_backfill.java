package db.migration.postgresql;

import org.subsidyledger.api.store.ReferenceKeysBackfill;

/** Flyway V11 for postgresql: fills the normalized reference keys of an existing ledger (see {@link ReferenceKeysBackfill}). */
public class V11__Reference_keys_backfill extends ReferenceKeysBackfill {}
