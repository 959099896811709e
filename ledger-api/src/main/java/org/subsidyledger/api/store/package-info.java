/**
 * Persistence of the ledger: the durable event store and the ledger index, on the application's one database.
 *
 * <p><b>Event store.</b> Axon's JDBC storage engine (not JPA) over tables that Flyway owns
 * ({@code db/migration/h2} for the embedded default, {@code db/migration/postgresql} for the {@code postgres}
 * profile): {@code domain_event_entry} (the log, append-only), {@code snapshot_event_entry} and
 * {@code token_entry}. Payloads and metadata are UTF-8 JSON in {@code bytea} (PostgreSQL) or {@code VARBINARY} (H2),
 * never large objects, so {@code SELECT convert_from(payload, 'UTF8') FROM domain_event_entry} shows any event.
 * {@code global_index} is taken from an identity/sequence at insert; Axon's gap-aware tokens wait
 * {@code ledger.store.gap-timeout} for numbers taken by transactions not yet committed, so tracking processors
 * never skip an event. Two nodes appending the same aggregate sequence collide on a unique key, which
 * {@link org.subsidyledger.api.store.DuplicateKeyResolver} turns into Axon's {@code ConcurrencyException} (retry).
 *
 * <p><b>Snapshots.</b> Programs are snapshotted every {@code ledger.store.program-snapshot-threshold} events, or every
 * {@code ledger.store.program-snapshot-percent} percent of their stream once that is more; a
 * snapshot is read back only if its revision is the current shape of {@code Program}
 * ({@link org.subsidyledger.api.store.SnapshotRevisions}), otherwise the program is replayed from its events.
 *
 * <p><b>Transactions.</b> Each command runs in one unit of work bound to one Spring transaction: the aggregate is
 * loaded (from its latest snapshot, then its later events), the handler decides (reading the index through the same
 * transaction), the events are inserted, the subscribing {@code ledger-index} processor writes the index rows, and
 * the transaction commits — or, if anything failed, nothing of it remains. Snapshots are written after the commit, in
 * their own transaction.
 *
 * <p><b>Index.</b> {@link org.subsidyledger.api.store.JdbcLedgerIndex} answers the domain's
 * {@link org.subsidyledger.core.shared.LedgerIndex} (registries, contract bindings, paid invoices, corporate groups)
 * and the API's routing questions (the program of a voucher or grant, vouchers due for expiry). Its primary keys are
 * the rules that span aggregates, so two nodes racing on one invoice cannot both commit.
 */
package org.subsidyledger.api.store;
