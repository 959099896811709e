package org.subsidyledger.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka broker stopped for a minute under load and started again (issue 11). The broker is a separate process
 * ({@link KafkaBroker}) restarted on the same port and log directory. Commands go on being answered while it is away;
 * afterwards every stored event is on {@code subsidy.ledger.events}, in order per key, each record's {@code globalindex}
 * equal to its event's stored global index, no index missing; the publication lag (a record's arrival at a consumer
 * minus its event's time) is back under a second within a minute of the broker's return.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class KafkaOutageDrillIT {
    static final int CLIENTS = 4 * DrillSettings.LEDGER_POOL_SIZE + 8;
    static final Duration LAG = Duration.ofSeconds(1);
    static final Duration LAG_RECOVERY = Duration.ofMinutes(1);

    @Test
    void everyEventReachesTheTopicWithItsOwnIndexAfterABrokerOutage() {
        Duration away = DrillSettings.seconds("kafka.outage");
        Duration length = DrillSettings.seconds("load").plus(away);
        try (DrillRun run = new DrillRun("kafka-outage")) {
            run.database(DrillDatabase.SHARED_PORT).startLedger("ledger");
            run.setUp();
            try (TopicReader topic = new TopicReader(run.broker.bootstrapServers())) {
                Load load = run.load(CLIENTS).start(length);
                DrillSettings.sleep(length.minus(away).dividedBy(2));
                long stoppedAt = System.nanoTime();
                run.broker.stop();
                DrillSettings.sleep(away);
                run.broker.startAgain();
                long backAt = System.nanoTime();
                Instant backWall = Instant.now();
                load.awaitEnd();

                // The records first, the log after them: every record's event is then in the log read (a seal may
                // be appended after the load); read both again until the records cover the log.
                List<TopicReader.Received> received = topic.received();
                List<StoredLog.Event> stored = StoredLog.read(run.database);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!received.stream()
                                .map(TopicReader.Received::id)
                                .collect(Collectors.toSet())
                                .containsAll(stored.stream()
                                        .map(StoredLog.Event::eventId)
                                        .toList())
                        && System.nanoTime() < deadline) {
                    DrillSettings.sleep(Duration.ofMillis(500));
                    received = topic.received();
                    stored = StoredLog.read(run.database);
                }
                Topic checked = check(stored, received, backWall);

                Map<String, Object> extra = DrillRun.lines();
                extra.put(
                        "fault",
                        "broker stopped (SIGTERM) for " + away.toSeconds() + " s, started again on the same"
                                + " port and log directory");
                extra.put(
                        "while away",
                        load.count(503, stoppedAt, backAt) + " × 503, slowest answer "
                                + load.slowest(stoppedAt, backAt));
                extra.put(
                        "topic",
                        checked.records + " records for " + stored.size() + " stored events: missing "
                                + checked.missing.size() + ", wrong globalindex " + checked.wrongIndex.size()
                                + ", indexes missing " + checked.indexesMissing + ", out of order per key "
                                + checked.outOfOrder.size() + ", published again " + checked.republished);
                extra.put(
                        "recovery time",
                        checked.lagRecoveryMillis + " ms from the broker's return until every"
                                + " record arrived within " + LAG.toMillis()
                                + " ms of its event (max lag after the return "
                                + checked.maxLagAfterReturnMillis + " ms)");
                run.report(load, CLIENTS + " clients for " + length.toSeconds() + " s", extra);
                assertThat(checked.missing).as("stored events never published").isEmpty();
                assertThat(checked.wrongIndex)
                        .as("records whose globalindex is not their event's stored index")
                        .isEmpty();
                assertThat(checked.indexesMissing)
                        .as("stored global indexes no record carries")
                        .isZero();
                assertThat(checked.outOfOrder)
                        .as("records out of order within their key")
                        .isEmpty();
                assertThat(checked.lagRecoveryMillis)
                        .as("time until the lag was under %s again (ms)", LAG)
                        .isBetween(0L, LAG_RECOVERY.toMillis());
            }
        }
    }

    record Topic(
            long records,
            List<String> missing,
            List<String> wrongIndex,
            long indexesMissing,
            List<String> outOfOrder,
            long republished,
            long lagRecoveryMillis,
            long maxLagAfterReturnMillis) {}

    /** The consumer's checks (SPEC §7): completeness, each record's own index, order per key, and the lag. */
    static Topic check(List<StoredLog.Event> stored, List<TopicReader.Received> records, Instant back) {
        Map<String, StoredLog.Event> byId = new HashMap<>();
        stored.forEach(e -> byId.put(e.eventId(), e));
        Set<String> published = new HashSet<>();
        Set<Long> indexes = new HashSet<>();
        List<String> wrongIndex = new ArrayList<>();
        for (TopicReader.Received r : records) {
            published.add(r.id());
            indexes.add(r.globalIndex());
            StoredLog.Event e = byId.get(r.id());
            if (e == null || e.globalIndex() != r.globalIndex()) {
                wrongIndex.add(r.id() + " published as " + r.globalIndex() + ", stored at "
                        + (e == null ? "nowhere" : e.globalIndex()));
            }
        }
        List<String> missing = stored.stream()
                .filter(e -> !published.contains(e.eventId()))
                .map(e -> e.type() + "@" + e.globalIndex())
                .toList();
        long indexesMissing =
                stored.stream().filter(e -> !indexes.contains(e.globalIndex())).count();

        // in offset order within each partition (a key lives in one partition): first deliveries of a key's events
        // come in sequence order; a record seen before is a redelivery (at least once), not a reordering
        List<String> outOfOrder = new ArrayList<>();
        Map<String, Long> lastSequence = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long republished = 0;
        List<TopicReader.Received> inOrder = records.stream()
                .sorted(Comparator.comparingInt(TopicReader.Received::partition)
                        .thenComparingLong(TopicReader.Received::offset))
                .toList();
        for (TopicReader.Received r : inOrder) {
            if (!seen.add(r.id())) {
                republished++;
                continue;
            }
            Long last = lastSequence.put(r.key(), r.sequence());
            if (last != null && r.sequence() <= last) {
                outOfOrder.add(
                        r.key() + ": sequence " + r.sequence() + " after " + last + " (offset " + r.offset() + ")");
            }
        }

        // the last record after the broker's return that arrived a second or more after its event
        long lastSlow = 0;
        long maxLag = 0;
        for (TopicReader.Received r : records) {
            if (r.arrived().isAfter(back)) {
                long lag = r.lag().toMillis();
                maxLag = Math.max(maxLag, lag);
                if (lag >= LAG.toMillis()) {
                    lastSlow = Math.max(
                            lastSlow, Duration.between(back, r.arrived()).toMillis());
                }
            }
        }
        return new Topic(
                records.size(), missing, wrongIndex, indexesMissing, outOfOrder, republished, lastSlow, maxLag);
    }
}
