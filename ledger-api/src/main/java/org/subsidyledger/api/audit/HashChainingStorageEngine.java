package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.overload.RequestDeadline;
import org.subsidyledger.api.store.DatabaseKind;
import org.subsidyledger.api.store.UnitOfWorkMemo;

/**
 * The event store with the hash chain of docs/AUDIT.md: before each event is stored, its {@code prevHash} (the hash
 * of the same aggregate's previous entry, {@link AuditEntry#GENESIS} for sequence 0) and its {@code hash} are computed
 * and stored in its metadata, so every reader of the log — tracking processors, the Kafka publisher — gets them with
 * the event.
 *
 * <p>Why per aggregate: an append knows its aggregate's previous entry (the unique key on (aggregate, sequence) lets
 * only one append of a sequence number commit, on any node), but not its global index, which the database assigns
 * and which concurrent transactions may commit out of order. Seals fix the global order afterwards.
 *
 * <p>The previous hash is read in the appending transaction (it sees the entries appended earlier in the same unit of
 * work), or taken from the aggregate's last entry as the same unit of work read it for the aggregate cache's check
 * ({@link #lastSequenceNumberFor}); within one batch the chain is carried in memory. Snapshots are a cache, not
 * chained.
 */
public final class HashChainingStorageEngine implements EventStorageEngine {
    /** PostgreSQL's lock_timeout for the ledger's connections (application-postgres.yml); each append sets it to this
     * or to what its request has left, whichever is shorter. */
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

    private final EventStorageEngine delegate;
    private final Serializer eventSerializer;
    private final JdbcTemplate jdbc;
    private final AppendLock appendLock;
    private final DatabaseKind database;
    private final String appendWindow;

    /**
     * @param appendWindow the longest the appending transaction may stay open: on PostgreSQL the {@code append_window}
     *                     trigger (V15) refuses its COMMIT after that, so no entry commits after the tracking
     *                     processors stopped waiting for its global index
     */
    public HashChainingStorageEngine(
            EventStorageEngine delegate,
            Serializer eventSerializer,
            JdbcTemplate jdbc,
            AppendLock appendLock,
            Duration appendWindow) {
        this.delegate = delegate;
        this.eventSerializer = eventSerializer;
        this.jdbc = jdbc;
        this.appendLock = appendLock;
        this.database = new DatabaseKind(jdbc);
        this.appendWindow = appendWindow.toMillis() + "ms";
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) {
            delegate.appendEvents(events);
            return;
        }
        appendLock.duringAppend(() -> {
            List<EventMessage<?>> chained = chained(events);
            if (database.isPostgres()) {
                // The transaction id first, then the global indexes: an entry not yet visible then always belongs to
                // a transaction a snapshot lists as in progress (SettledAppends, the alerts' index order). The
                // transaction's append window, which the append_window trigger checks at COMMIT. And the insert's
                // lock waits no longer than the request has left (RequestDeadline; lock_timeout otherwise).
                Duration left = RequestDeadline.waitAtMost(LOCK_TIMEOUT);
                if (left.isZero()) {
                    throw new AppendLock.Busy("the request's time ran out before its append");
                }
                jdbc.queryForObject(
                        "SELECT pg_current_xact_id()::text || set_config('ledger.append_window', ?, true)"
                                + " || set_config('lock_timeout', ?, true)",
                        String.class,
                        appendWindow,
                        Math.max(1, left.toMillis()) + "ms");
            }
            delegate.appendEvents(chained);
        });
    }

    private List<EventMessage<?>> chained(List<? extends EventMessage<?>> events) {
        Map<String, String> lastHashInBatch = new HashMap<>();
        Map<String, Long> lastSequenceInBatch = new HashMap<>();
        List<EventMessage<?>> chained = new ArrayList<>(events.size());
        for (EventMessage<?> event : events) {
            String aggregateId = aggregateId(event);
            long sequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : 0;
            String prevHash;
            Long last = lastSequenceInBatch.get(aggregateId);
            if (last != null && last == sequence - 1) {
                prevHash = lastHashInBatch.get(aggregateId);
            } else if (sequence == 0) {
                prevHash = AuditEntry.GENESIS;
            } else {
                prevHash = knownHash(aggregateId, sequence - 1).orElseGet(() -> storedHash(aggregateId, sequence - 1));
            }
            String hash =
                    entryOf(event, aggregateId, sequence).chained(prevHash, 0).hash();
            chained.add(event.andMetaData(Map.of(AuditEntry.HASH, hash, AuditEntry.PREV_HASH, prevHash)));
            lastHashInBatch.put(aggregateId, hash);
            lastSequenceInBatch.put(aggregateId, sequence);
        }
        return chained;
    }

    /** The envelope of an event about to be stored, from the JSON the store will hold. */
    private AuditEntry entryOf(EventMessage<?> event, String aggregateId, long sequence) {
        SerializedObject<byte[]> payload = event.serializePayload(eventSerializer, byte[].class);
        SerializedObject<byte[]> metadata = event.serializeMetaData(eventSerializer, byte[].class);
        return new AuditEntry(
                event.getIdentifier(),
                0,
                aggregateId,
                sequence,
                AuditEntry.eventName(payload.getType().getName()),
                payload.getType().getRevision(),
                timestamp(event.getTimestamp()),
                AuditEntry.readStored(payload.getData()),
                AuditEntry.publicMetadata(AuditEntry.readStored(metadata.getData())),
                null,
                null);
    }

    /** As the JDBC engine writes {@code time_stamp}. */
    static String timestamp(Instant instant) {
        return DateTimeUtils.formatInstant(instant);
    }

    /** The id the JDBC engine stores: the aggregate's, or the event's own for an event outside any aggregate. */
    private static String aggregateId(EventMessage<?> event) {
        if (event instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null) {
            return domain.getAggregateIdentifier();
        }
        return event.getIdentifier();
    }

    private String storedHash(String aggregateId, long sequence) {
        List<byte[]> rows = jdbc.query(
                "SELECT meta_data FROM domain_event_entry WHERE aggregate_identifier = ?" + " AND sequence_number = ?",
                (row, n) -> row.getBytes(1),
                aggregateId,
                sequence);
        if (rows.isEmpty()) {
            throw new IllegalStateException(
                    "No entry " + sequence + " of " + aggregateId + " to chain entry " + (sequence + 1) + " to");
        }
        return hashIn(rows.get(0));
    }

    /** The hash stored in an entry's metadata; an entry stored before the chain existed restarts it (docs/AUDIT.md). */
    private static String hashIn(byte[] metadata) {
        JsonNode hash = AuditEntry.readStored(metadata).get(AuditEntry.HASH);
        return hash == null || !hash.isTextual() ? AuditEntry.GENESIS : hash.asText();
    }

    /** The hash of an aggregate's entry read earlier in the current unit of work (its last, at the cache check). */
    private Optional<String> knownHash(String aggregateId, long sequence) {
        return UnitOfWorkMemo.get(lastEntryKey + aggregateId)
                .filter(known -> known instanceof LastEntry last && last.sequence() == sequence)
                .map(known -> ((LastEntry) known).hash());
    }

    // ---------------------------------------------------------------- delegated as is

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return delegate.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    /**
     * The aggregate's highest sequence number, read as the last row of the unique (aggregate, sequence) index in the
     * caller's transaction. Axon's engine asks for {@code MAX(sequence_number)}, which H2 answers by reading every
     * entry of the aggregate: a cost per command that grew with the program in the embedded store.
     */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Optional<LastEntry> last = jdbc
                .query(
                        "SELECT sequence_number, meta_data FROM domain_event_entry WHERE aggregate_identifier = ?"
                                + " ORDER BY aggregate_identifier DESC, sequence_number DESC LIMIT 1",
                        (row, n) -> new LastEntry(row.getLong(1), hashIn(row.getBytes(2))),
                        aggregateIdentifier)
                .stream()
                .findFirst();
        // The aggregate cache asks this of every command's aggregate, in the command's transaction, under the
        // aggregate's lock: the hash read with it is the previous hash of the entry the command appends, so the append
        // needs no query of its own. The entry is committed and never changes; the memo dies with the unit of work.
        last.ifPresent(entry -> UnitOfWorkMemo.put(lastEntryKey + aggregateIdentifier, entry));
        return last.map(LastEntry::sequence);
    }

    /** The key of an aggregate's last entry in a unit of work's resources, this engine's own. */
    private final String lastEntryKey =
            HashChainingStorageEngine.class.getName() + "@" + System.identityHashCode(this) + ".last:";

    /** An aggregate's last stored entry: its sequence number and hash. */
    private record LastEntry(long sequence, String hash) {}

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
