package org.subsidyledger.api.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The aggregate cache of one aggregate type: a command finds its aggregate in memory instead of reading a snapshot
 * and the events after it, but only after checking, in the command's own transaction, that the store holds no newer
 * entry of it than the cached copy. That check (one indexed query, {@code MAX(sequence_number)} of one aggregate) is
 * what makes the cache safe with several nodes on one database: a copy made stale by another node's append is dropped
 * and the aggregate loaded from the store, so a command is never decided — accepted, or refused with a SPEC §3 code —
 * on a state older than the log. (Without it, a stale acceptance would still fail on the unique (aggregate, sequence)
 * key, but a stale refusal would append nothing and so would go unnoticed.)
 *
 * <p>Axon's caching repository drops an entry whenever the unit of work that loaded it rolls back, and replaces it
 * when one commits, so the cache never holds state that did not commit. Entries are held softly (the collector may
 * drop them under memory pressure) and at most {@code maximumSize} per aggregate type.
 */
public final class CheckedAggregateCache implements Cache {
    /** Axon keeps the cached aggregate's version in a private field of the entry; read, never written. */
    private static final VarHandle VERSION = versionHandle();

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> entries;
    private final Supplier<EventStore> store;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();

    /**
     * @param store       the event store (looked up on first use: the cache is built while Axon's configuration is)
     * @param maximumSize the most aggregates kept
     */
    public CheckedAggregateCache(Supplier<EventStore> store, long maximumSize) {
        this.store = Objects.requireNonNull(store, "store");
        this.entries = Caffeine.newBuilder().maximumSize(maximumSize).softValues().build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = entries.getIfPresent(key);
        if (value instanceof AggregateCacheEntry<?> entry) {
            Long cached = (Long) VERSION.get(entry);
            Optional<Long> stored = store.get().lastSequenceNumberFor(key.toString());
            if (!Objects.equals(stored.orElse(null), cached)) {
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
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.asMap().remove(key) != null;
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

    private static VarHandle versionHandle() {
        try {
            return MethodHandles.privateLookupIn(AggregateCacheEntry.class, MethodHandles.lookup())
                    .findVarHandle(AggregateCacheEntry.class, "version", Long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("This version of Axon's AggregateCacheEntry has no version field: "
                    + e);
        }
    }
}
