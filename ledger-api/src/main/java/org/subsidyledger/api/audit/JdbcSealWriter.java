package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.store.DatabaseKind;
import org.subsidyledger.api.store.SealWriter;
import org.subsidyledger.core.audit.LedgerSealed;

/**
 * Writes seals (docs/AUDIT.md). Sealing is one transaction that
 * <ol>
 *   <li>makes sure no append below its upper bound can still commit: in this JVM it waits for every appending
 *       transaction ({@link AppendLock}); on PostgreSQL it also takes {@code LOCK TABLE domain_event_entry IN SHARE ROW
 *       EXCLUSIVE MODE}, which waits for the appends of every node in flight (an INSERT holds ROW EXCLUSIVE from
 *       before it draws its global index until its transaction ends) and keeps new ones out until the seal commits,
 *       and which two sealing nodes cannot hold at once;</li>
 *   <li>takes as {@code toGlobalIndex} the highest committed index, walks the entries after the previous seal's bound,
 *       and appends the seal, chained like any entry, stamped with the ledger clock.</li>
 * </ol>
 * Two nodes asking for the same seal number: the unique key (aggregate, sequence) lets one commit; the other writes
 * nothing.
 *
 * <p>The seal's transaction, and with it its pooled connection, is opened before the exclusive side of the
 * {@link AppendLock} is asked for, never after: appends hold a connection while they wait for the shared side, so a
 * seal holding the exclusive side must never need a connection (docs/DECISIONS.md, "Locks and connections"). Seals
 * are written by the schedule's own thread ({@link SealSchedule}), never by a request thread.
 */
public final class JdbcSealWriter implements SealWriter {
    private static final Logger log = LoggerFactory.getLogger(JdbcSealWriter.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final EventStorageEngine storageEngine;
    private final AppendLock appendLock;
    private final DatabaseKind database;
    /** When the last seal seen (written here or read from the log) was stamped, for the seal-age gauge. */
    private volatile Instant lastSealedAt;

    public JdbcSealWriter(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            EventStorageEngine storageEngine,
            AppendLock appendLock) {
        this.jdbc = jdbc;
        this.database = new DatabaseKind(jdbc);
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.storageEngine = storageEngine;
        this.appendLock = appendLock;
    }

    @Override
    public boolean seal(Trigger trigger) {
        try {
            // Connection first (the transaction takes it), then the exclusive side: the lock order every path follows.
            return Boolean.TRUE.equals(transaction.execute(tx -> appendLock.exclusively(() -> sealNow(trigger))));
        } catch (RuntimeException e) {
            if (lastSeal() != null && concurrentSeal(e)) {
                log.debug("Another node wrote the same seal first", e);
                return false;
            }
            throw e;
        }
    }

    /** How many entries, other than seals, were appended after the last seal's range. */
    public long unsealedEntries() {
        LastSeal last = lastSeal();
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM domain_event_entry WHERE global_index > ?" + " AND aggregate_identifier <> ?",
                Long.class,
                last == null ? 0 : last.toGlobalIndex,
                LedgerSealed.AGGREGATE_ID);
        return count == null ? 0 : count;
    }

    /** When the oldest entry after the last seal's range (other than seals) was stamped; empty when there is none. */
    public Optional<Instant> oldestUnsealedAt() {
        LastSeal last = lastSeal();
        List<String> stamps = jdbc.queryForList(
                "SELECT time_stamp FROM domain_event_entry WHERE global_index > ?"
                        + " AND aggregate_identifier <> ? ORDER BY global_index LIMIT 1",
                String.class,
                last == null ? 0 : last.toGlobalIndex,
                LedgerSealed.AGGREGATE_ID);
        return stamps.stream().findFirst().map(Instant::parse);
    }

    private boolean sealNow(Trigger trigger) {
        if (isPostgres()) {
            jdbc.execute("LOCK TABLE domain_event_entry IN SHARE ROW EXCLUSIVE MODE");
        }
        LastSeal last = lastSeal();
        long sealNo = last == null ? 0 : last.sealNo + 1;
        long from = last == null ? 0 : last.toGlobalIndex;
        Long to = jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class);
        if (to == null || unsealedEntries() == 0) {
            return false;
        }
        SealDigests digests = new SealDigests();
        List<Long> missing = new ArrayList<>();
        jdbc.query(
                con -> {
                    var statement = con.prepareStatement("SELECT global_index, meta_data FROM domain_event_entry"
                            + " WHERE global_index > ? AND global_index <= ? ORDER BY global_index");
                    statement.setFetchSize(AuditLog.FETCH_SIZE);
                    statement.setLong(1, from);
                    statement.setLong(2, to);
                    return statement;
                },
                (ResultSetExtractor<Void>) rows -> {
                    long expected = from + 1;
                    while (rows.next()) {
                        long index = rows.getLong(1);
                        for (; expected < index; expected++) {
                            missing.add(expected);
                        }
                        expected = index + 1;
                        JsonNode hash = AuditEntry.readStored(rows.getBytes(2)).get(AuditEntry.HASH);
                        digests.add(index, hash == null ? "null" : hash.asText());
                    }
                    return null;
                });
        LedgerSealed seal = new LedgerSealed(
                sealNo,
                LedgerSealed.Trigger.valueOf(trigger.name()),
                from,
                to,
                digests.entries(),
                missing,
                digests.digest(),
                digests.hashSetDigest());
        // The ledger itself writes seals, like the expiry sweep: its entries name "system" as their principal.
        GenericDomainEventMessage<LedgerSealed> sealEntry = new GenericDomainEventMessage<>(
                "LedgerSeal", LedgerSealed.AGGREGATE_ID, sealNo, seal, MetaData.with("principal", "system"));
        storageEngine.appendEvents(sealEntry);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                lastSealedAt = sealEntry.getTimestamp();
            }
        });
        log.info(
                "Seal {} ({}) covers global indexes ({}, {}]: {} entries, {} missing",
                sealNo,
                trigger,
                from,
                to,
                digests.entries(),
                missing.size());
        return true;
    }

    /** When the last seal seen by this node was stamped (ledger clock); empty before the first one is seen. */
    public Optional<Instant> lastSealedAt() {
        return Optional.ofNullable(lastSealedAt);
    }

    private LastSeal lastSeal() {
        // The whole unique key in the ORDER BY, so that H2 too walks the index backwards and reads one row; ordered by
        // the sequence number alone it reads every seal and sorts them, which made each seal cost more than the last.
        List<LastSeal> seals = jdbc.query(
                "SELECT sequence_number, payload, time_stamp FROM domain_event_entry WHERE aggregate_identifier = ?"
                        + " ORDER BY aggregate_identifier DESC, sequence_number DESC LIMIT 1",
                (row, n) -> new LastSeal(
                        row.getLong(1),
                        AuditEntry.readStored(row.getBytes(2))
                                .path("toGlobalIndex")
                                .asLong(),
                        DateTimeUtils.parseInstant(row.getString(3))),
                LedgerSealed.AGGREGATE_ID);
        if (seals.isEmpty()) {
            return null;
        }
        LastSeal last = seals.get(0);
        lastSealedAt = last.at();
        return last;
    }

    /** A unique-key violation on the seal's (aggregate, sequence): Axon reports it as a concurrency failure. */
    private static boolean concurrentSeal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("Concurrency")
                    || name.contains("AggregateStreamCreation")
                    || name.contains("DuplicateKey")) {
                return true;
            }
        }
        return false;
    }

    private boolean isPostgres() {
        return database.isPostgres();
    }

    private record LastSeal(long sealNo, long toGlobalIndex, Instant at) {}
}
