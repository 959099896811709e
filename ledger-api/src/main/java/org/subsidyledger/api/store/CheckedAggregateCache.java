package org.subsidyledger.api.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregate cache of one aggregate type: a command finds its aggregate in memory instead of reading a snapshot
 * and the events after it, but only after checking, in the command's own transaction, that the store holds no newer
 * entry of it than the cached copy. That check (one indexed query, {@code MAX(sequence_number)} of one aggregate) is
 * what makes the cache safe with several nodes on one database: a copy made stale by another node's append is dropped
 * and the aggregate loaded from the store, so a command is never decided — accepted, or refused with a SPEC §3 code —
 * on a state older than the log. (Without it, a stale acceptance would still fail on the unique (aggregate, sequence)
 * key, but a stale refusal would append nothing and so would go unnoticed.)
 *
 * <p>Axon's caching repository asks to drop an entry whenever a unit of work that used it rolls back, and replaces it
 * when one saves. The cache never holds state that did not commit:
 * <ul>
 *   <li>an entry put while a unit of work saves is provisional until that unit of work has committed; a rollback
 *       before then drops it (the append failed: the aggregate in memory is ahead of the log);</li>
 *   <li>a rollback drops a committed entry if the aggregate applied any event since it was cached (its version moved
 *       on: the command changed the aggregate in memory, then failed);</li>
 *   <li>a rollback keeps a committed entry whose aggregate applied nothing since — a command refused with a SPEC §3
 *       code, which every handler decides before it applies anything and which changes no state. Dropping it would
 *       make the next command on the program read its snapshot and events again: with refusals a steady share of the
 *       traffic (an exhausted voucher, a duplicate invoice), that reload was the largest single cost of a command.</li>
 * </ul>
 * Entries are held softly (the collector may drop them under memory pressure) and at most {@code maximumSize} per
 * aggregate type.
 */
public final class CheckedAggregateCache implements Cache {
    private static final Logger log = LoggerFactory.getLogger(CheckedAggregateCache.class);

    /** Axon keeps the cached aggregate's version in a private field of the entry; read, never written. */
    private static final VarHandle VERSION = field("version", Long.class);
    /** ... and the aggregate it was made from (the one the next load reuses), read to see whether it moved on. */
    private static final VarHandle AGGREGATE = field("aggregate", EventSourcedAggregate.class);

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> entries;
    private final Supplier<EventStore> store;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder keptOnRollback = new LongAdder();

    /**
     * @param store       the event store (looked up on first use: the cache is built while Axon's configuration is)
     * @param maximumSize the most aggregates kept
     */
    public CheckedAggregateCache(Supplier<EventStore> store, long maximumSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.entries =
                Caffeine.newBuilder().maximumSize(maximumSize).softValues().build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = unwrap(entries.getIfPresent(key));
        if (value instanceof AggregateCacheEntry<?> entry) {
            Long cached = (Long) VERSION.get(entry);
            Optional<Long> stored = store.get().lastSequenceNumberFor(key.toString());
            if (!Objects.equals(stored.orElse(null), cached)) {
                log.debug("cached {} at version {} is stale (store: {}): dropped", key, cached, stored.orElse(null));
                entries.invalidate(key);
                stale.increment();
                return null;
            }
            hits.increment();
        }
        return (V) value;
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, held(value));
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.asMap().putIfAbsent(key, held(value)) == null;
    }

    /**
     * Called by Axon when a unit of work that used the aggregate rolls back: drops the entry unless it is committed and
     * its aggregate applied nothing since it was cached (see the class comment).
     */
    @Override
    public boolean remove(Object key) {
        Object value = entries.getIfPresent(key);
        if (value instanceof Held held && held.committed && unchanged(held.value)) {
            keptOnRollback.increment();
            return false;
        }
        boolean removed = entries.asMap().remove(key) != null;
        if (removed && log.isDebugEnabled()) {
            log.debug("cached {} dropped after a rollback", key, rollbackCause());
        }
        return removed;
    }

    /**
     * Keeps an aggregate just loaded from the store, to which nothing was applied, as a committed entry (unless one is
     * cached already): its state is the log's, whatever becomes of the unit of work that loaded it ({@link
     * DecideInTime}).
     */
    void keepLoaded(EventSourcedAggregate<?> aggregate) {
        entries.asMap().putIfAbsent(aggregate.identifierAsString(), committed(new AggregateCacheEntry<>(aggregate)));
    }

    @Override
    public void removeAll() {
        entries.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.asMap().containsKey(key);
    }

    /** Nothing in the ledger listens to cache entries; a listener would never be called, so none is accepted. */
    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        throw new UnsupportedOperationException("The aggregate cache does not notify listeners");
    }

    /** Loads answered from the cache after the check. */
    public long hits() {
        return hits.sum();
    }

    /** Cached copies found older than the store (another node appended) and dropped. */
    public long staleCopies() {
        return stale.sum();
    }

    /** Rollbacks (refused commands) after which the cached copy was kept, the aggregate having applied nothing. */
    public long keptOnRollback() {
        return keptOnRollback.sum();
    }

    /** An entry, provisional while the unit of work that saved it has not committed. */
    private static final class Held {
        final Object value;
        volatile boolean committed;

        Held(Object value) {
            this.value = value;
        }
    }

    private static Held held(Object value) {
        Held held = new Held(value);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> held.committed = true);
        } else {
            held.committed = true;
        }
        return held;
    }

    /** What made the current unit of work roll back (logged with the drop), or null when it is not known. */
    private static Throwable rollbackCause() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        var result = CurrentUnitOfWork.get().getExecutionResult();
        return result != null && result.isExceptionResult() ? result.getExceptionResult() : null;
    }

    private static Held committed(Object value) {
        Held held = new Held(value);
        held.committed = true;
        return held;
    }

    private static Object unwrap(Object value) {
        return value instanceof Held held ? held.value : value;
    }

    /** Whether the aggregate of a cache entry is still at the version it was cached at: no event applied since. */
    private static boolean unchanged(Object value) {
        if (!(value instanceof AggregateCacheEntry<?> entry)) {
            return false;
        }
        Object aggregate = AGGREGATE.get(entry);
        return aggregate instanceof EventSourcedAggregate<?> live && Objects.equals(live.version(), VERSION.get(entry));
    }

    private static VarHandle field(String name, Class<?> type) {
        try {
            return MethodHandles.privateLookupIn(AggregateCacheEntry.class, MethodHandles.lookup())
                    .findVarHandle(AggregateCacheEntry.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("This version of Axon's AggregateCacheEntry has no " + name
                    + " field of type " + type.getSimpleName() + ": " + e);
        }
    }
}
