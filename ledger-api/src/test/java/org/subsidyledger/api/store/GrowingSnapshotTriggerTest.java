package org.subsidyledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.subsidyledger.core.program.Program;

@DisplayName("Program snapshots: every 100 events while small, then a tenth of the stream")
class GrowingSnapshotTriggerTest {
    private final List<String> scheduled = new ArrayList<>();
    private final List<Long> at = new ArrayList<>();
    private long sequence;
    private final Snapshotter snapshotter = (type, id) -> {
        scheduled.add(type.getSimpleName() + "/" + id);
        at.add(sequence);
    };
    private final GrowingSnapshotTrigger definition = new GrowingSnapshotTrigger(snapshotter, 100, 10);

    private void handle(SnapshotTrigger trigger, long upTo) {
        for (; sequence <= upTo; sequence++) {
            trigger.eventHandled(new GenericDomainEventMessage<>("Program", "P-1", sequence, "event"));
        }
    }

    @Test
    @DisplayName("snapshots at events 100, 200 … 1,000, then at intervals of a tenth of the sequence number")
    void intervalsGrowWithTheStream() {
        SnapshotTrigger trigger = definition.prepareTrigger(Program.class);
        trigger.initializationFinished();
        handle(trigger, 99_999);

        assertThat(at.subList(0, 10)).containsExactly(99L, 199L, 299L, 399L, 499L, 599L, 699L, 799L, 899L, 999L);
        for (int i = 10; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).isEqualTo(Math.max(100, at.get(i) / 100 * 10));
        }
        // a fixed interval would have taken 1,000 snapshots of an ever larger program
        assertThat(at).hasSizeBetween(50, 60);
        assertThat(scheduled).allMatch("Program/P-1"::equals);
    }

    @Test
    @DisplayName("a new event schedules its snapshot only when its unit of work commits; a rollback schedules none")
    void scheduledOnCommit() {
        SnapshotTrigger trigger = definition.prepareTrigger(Program.class);
        trigger.initializationFinished();
        handle(trigger, 98);

        DefaultUnitOfWork<?> rolledBack = DefaultUnitOfWork.startAndGet(null);
        handle(trigger, 99);
        rolledBack.rollback();
        assertThat(scheduled).isEmpty();

        DefaultUnitOfWork<?> committed = DefaultUnitOfWork.startAndGet(null);
        handle(trigger, 199);
        assertThat(scheduled).isEmpty();
        committed.commit();
        assertThat(scheduled).containsExactly("Program/P-1");
    }

    @Test
    @DisplayName("settings out of range are refused")
    void refusesBadSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrowingSnapshotTrigger(snapshotter, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrowingSnapshotTrigger(snapshotter, 100, 100))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
