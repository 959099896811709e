package org.subsidyledger.api.store;

import java.io.Serializable;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Snapshots a program after {@code max(threshold, percent % of its sequence number)} events since its last snapshot (or
 * load): every {@code threshold} events while the program is small, then at intervals that grow with it.
 *
 * <p>A program's snapshot holds every voucher, redemption and grant, so its size grows with the program's stream, and
 * taking one reads the last snapshot and serializes the whole program again. At a fixed interval the work per command
 * grows with the program: a program of 100,000 vouchers and 900,000 redemptions (a 175 MB snapshot) would be
 * snapshotted every 100 commands, each time for seconds of CPU. With the interval a fixed share of the stream, the
 * snapshot work per command stays bounded as the program grows (the interval grows as fast as the snapshot), and a
 * load from the store still reads at most that share of the stream after its snapshot.
 */
public final class GrowingSnapshotTrigger implements SnapshotTriggerDefinition {
    private final Snapshotter snapshotter;
    private final int threshold;
    private final int percent;

    /**
     * @param threshold the fewest events between two snapshots
     * @param percent   the share of the program's stream, in percent of its sequence number, between two snapshots
     *                  once that is more than {@code threshold}
     */
    public GrowingSnapshotTrigger(Snapshotter snapshotter, int threshold, int percent) {
        if (threshold < 1 || percent < 0 || percent >= 100) {
            throw new IllegalArgumentException("threshold must be at least 1 and percent in [0, 100)");
        }
        this.snapshotter = snapshotter;
        this.threshold = threshold;
        this.percent = percent;
    }

    /** Events to wait for after the event at {@code sequence} before the next snapshot. */
    long interval(long sequence) {
        return Math.max(threshold, sequence / 100 * percent);
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Trigger(this, aggregateType);
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Trigger own) {
            own.definition = this;
            return own;
        }
        return prepareTrigger(aggregateType);
    }

    /** One aggregate's count of events since its last snapshot or load. */
    private static final class Trigger implements SnapshotTrigger, Serializable {
        private static final long serialVersionUID = 1L;

        private transient GrowingSnapshotTrigger definition;
        private final Class<?> aggregateType;
        private long counted;
        private boolean initialized;

        private Trigger(GrowingSnapshotTrigger definition, Class<?> aggregateType) {
            this.definition = definition;
            this.aggregateType = aggregateType;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (!(message instanceof DomainEventMessage<?> event)) {
                return;
            }
            counted++;
            if (counted < definition.interval(event.getSequenceNumber())) {
                return;
            }
            counted = 0;
            String id = event.getAggregateIdentifier();
            Snapshotter snapshotter = definition.snapshotter;
            if (!CurrentUnitOfWork.isStarted()) {
                snapshotter.scheduleSnapshot(aggregateType, id);
            } else if (initialized) {
                // a new event: snapshot once it has committed
                CurrentUnitOfWork.get().onPrepareCommit(u -> snapshotter.scheduleSnapshot(aggregateType, id));
            } else {
                // events read while loading: snapshot whatever the command decides
                CurrentUnitOfWork.get().onCleanup(u -> snapshotter.scheduleSnapshot(aggregateType, id));
            }
        }

        @Override
        public void initializationFinished() {
            initialized = true;
        }
    }
}
