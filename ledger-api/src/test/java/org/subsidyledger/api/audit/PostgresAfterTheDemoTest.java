package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subsidyledger.api.demo.DemoLoader;
import org.subsidyledger.api.demo.DemoReport;
import org.subsidyledger.api.store.SealWriter;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.api.support.Processors;

/**
 * What a newcomer and an auditor see after the demo history (two years, every kind of event), on PostgreSQL: several
 * kinds of fiscal alert raised and cleared; the stored log verifies; an export verified offline recomputes the same
 * SPEC §4 figures as the live read side for every province and currency, with the budget identity holding; and
 * replay-and-compare finds no difference.
 */
class PostgresAfterTheDemoTest {
    private static final Instant END = Instant.parse("2026-11-28T08:00:00Z");

    @TempDir
    Path files;

    @Test
    void alertsVerificationOfflineFiguresAndReplayAfterTheDemo() throws Exception {
        String database = PostgresDatabase.create("subsidy_ledger_after_demo_");
        MutableClock clock = new MutableClock(END.plus(Duration.ofHours(1)));
        try (AuditNode node = AuditNode.start(database, clock)) {
            DemoReport report = node.context.getBean(DemoLoader.class).load(DemoLoader.DEFAULT_SEED, END);
            assertThat(report.loaded()).isTrue();
            // seal the tail, so the whole log is covered by a seal
            assertThat(node.context.getBean(SealWriter.class).seal(SealWriter.Trigger.ON_DEMAND))
                    .isTrue();
            Processors.awaitHead(Duration.ofSeconds(120), "budget", node.context);
            Processors.awaitHead(Duration.ofSeconds(120), "alerts", node.context);

            // several kinds of alert, some of them cleared again
            JsonNode alerts = node.expect(200, node.get("/alerts"));
            Set<String> raised = new HashSet<>();
            Set<String> cleared = new HashSet<>();
            for (JsonNode alert : alerts) {
                raised.add(alert.path("code").asText());
                if (!alert.path("clearedAt").isNull()) {
                    cleared.add(alert.path("code").asText());
                }
            }
            assertThat(raised)
                    .as("kinds of alert raised by the demo")
                    .hasSizeGreaterThanOrEqualTo(4)
                    .contains("COMMITMENT_HIGH");
            assertThat(cleared).as("kinds of alert cleared in the demo").hasSizeGreaterThanOrEqualTo(2);
            assertThat(node.expect(200, node.get("/alerts?province=CN-HA&status=OPEN")))
                    .as("Henan's open alerts")
                    .anySatisfy(a -> assertThat(a.path("code").asText()).isEqualTo("COMMITMENT_HIGH"));

            // the stored log verifies
            long entries = node.jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
            JsonNode verify = node.expect(200, node.get("/audit/verify"));
            assertThat(verify.path("verified").asBoolean()).as("%s", verify).isTrue();
            assertThat(verify.path("events").asLong()).isEqualTo(entries);

            // an export verified offline gives the live read side's figures
            AuditNode.Offline offline = AuditNode.verifyOffline(node.export(files));
            assertThat(offline.status())
                    .as("%s %s", offline.out(), offline.err())
                    .isEqualTo(VerifyCommand.INTACT);
            assertThat(offline.out())
                    .contains("Budget identity and arithmetic: hold at every entry of all 11 programs");
            Map<String, Map<String, String>> live = new TreeMap<>();
            for (JsonNode province : node.expect(200, node.get("/provinces")).path("provinces")) {
                String code = province.path("province").asText();
                for (JsonNode currency : node.expect(200, node.get("/provinces/" + code + "/budget"))
                        .path("currencies")) {
                    Map<String, String> figures = new TreeMap<>();
                    for (String field : AuditNode.FIGURE_FIELDS) {
                        figures.put(field, currency.path(field).asText());
                    }
                    live.put(code + " " + currency.path("currency").asText(), figures);
                }
            }
            assertThat(live).as("provinces and currencies of the read side").hasSizeGreaterThanOrEqualTo(6);
            assertThat(AuditNode.offlineFigures(offline.out())).isEqualTo(live);

            // replay-and-compare: nothing differs, nothing skipped
            JsonNode replay = node.expect(200, node.post("/audit/replays", "{}"));
            assertThat(replay.path("identical").asBoolean()).as("%s", replay).isTrue();
            assertThat(replay.path("skippedPrograms")).isEmpty();
            assertThat(replay.path("entriesReplayed").asLong()).isEqualTo(entries);
            assertThat(replay.path("rowsCompared").asLong()).isGreaterThan(1000);
        } finally {
            PostgresDatabase.drop(database);
        }
    }
}
