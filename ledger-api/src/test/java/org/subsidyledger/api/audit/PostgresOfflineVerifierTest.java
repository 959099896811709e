package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;

/**
 * SPEC §8's offline verifier on an export of a scripted history (vouchers issued, redeemed, settled, revoked; a housing
 * grant claimed, in two provinces): its SPEC §4 figures per province and currency equal the live read side
 * ({@code GET /provinces/{code}/budget}); an export whose chains were consistently rewritten to break the budget
 * identity is refused; a file that is not an export is exit status 2.
 */
class PostgresOfflineVerifierTest {
    @TempDir
    Path files;

    @Test
    void figuresOfAnExportEqualTheReadSideAndAnIdentityBreakIsFound() throws Exception {
        String database = PostgresDatabase.create("subsidy_ledger_offline_");
        MutableClock clock = new MutableClock(Instant.parse("2026-08-14T02:00:00Z"));
        try (AuditNode node = AuditNode.start(database, clock)) {
            String zj = node.launchCompute("CN-ZJ", "10000000.00");
            String provider = node.accreditCompute();
            String v1 = node.issue(zj, "500000.00");
            String v2 = node.issue(zj, "300000.00");
            String r1 = node.redeem(v1, provider, "1000.00");
            node.redeem(v1, provider, "333.35");
            node.expect(
                    200,
                    node.post("/vouchers/" + v1 + "/redemptions/" + r1 + "/settlement", "{\"paymentRef\":\"pay-1\"}"));
            node.expect(200, node.post("/vouchers/" + v2 + "/revocation", "{\"reason\":\"fraud\"}"));
            assertThat(node.seal()).isTrue();

            String housing = AuditNode.uid("gd-housing");
            node.expect(
                    201,
                    node.post(
                            "/programs",
                            "{\"programId\":\"" + housing + "\",\"name\":\"Zhuhai housing\","
                                    + "\"kind\":\"HOUSING_SUBSIDY\",\"province\":\"CN-GD\",\"city\":\"Zhuhai\",\"currency\":\"CNY\","
                                    + "\"rules\":{\"schedule\":[\"1.0\",\"0.7\",\"0.5\"],\"monthlyRentCap\":"
                                    + AuditNode.money("5000.00")
                                    + ",\"capPerRecipient\":" + AuditNode.money("120000.00")
                                    + ",\"claimWindowMonths\":3}}"));
            node.expect(
                    200,
                    node.post(
                            "/programs/" + housing + "/appropriations",
                            "{\"amount\":" + AuditNode.money("2000000.00") + ",\"reference\":\"gd-1\"}"));
            String grant = AuditNode.uid("g");
            node.expect(
                    201,
                    node.post(
                            "/programs/" + housing + "/housing-grants",
                            "{\"grantId\":\"" + grant
                                    + "\",\"recipient\":{\"personRef\":\"p-1\",\"category\":\"GRADUATE\"},\"startMonth\":\"2026-08\","
                                    + "\"monthlyRent\":" + AuditNode.money("4000.00") + "}"));
            node.expect(
                    200,
                    node.post(
                            "/housing-grants/" + grant + "/claims",
                            "{\"month\":\"2026-08\",\"rentPaid\":" + AuditNode.money("3500.00")
                                    + ",\"leaseRef\":\"lease-1\"}"));

            Path export = node.export(files);
            AuditNode.Offline offline = AuditNode.verifyOffline(export);
            assertThat(offline.status())
                    .as("%s %s", offline.out(), offline.err())
                    .isEqualTo(VerifyCommand.INTACT);
            assertThat(offline.out())
                    .contains("Chains and seals: INTACT")
                    .contains("Budget identity and arithmetic:" + " hold at every entry of all 2 programs");
            Map<String, Map<String, String>> offlineFigures = AuditNode.offlineFigures(offline.out());
            assertThat(offlineFigures).containsOnlyKeys("CN-ZJ CNY", "CN-GD CNY");
            for (String province : List.of("CN-ZJ", "CN-GD")) {
                Map<String, String> live = awaitReadSide(node, province, offlineFigures.get(province + " CNY"));
                assertThat(offlineFigures.get(province + " CNY"))
                        .as("offline figures of %s", province)
                        .isEqualTo(live);
            }
            assertThat(offlineFigures.get("CN-ZJ CNY").get("released"))
                    .as("the revoked voucher's value")
                    .isEqualTo("300000.00");

            // The housing payment's amount rewritten, and the program's chain re-hashed from there: every chain
            // links, but SPEC §4's identity no longer holds.
            List<AuditEntry> program = new ArrayList<>();
            for (String line : node.get("/audit/events?aggregateId=" + housing)
                    .body()
                    .lines()
                    .toList()) {
                program.add(AuditEntry.parse(line));
            }
            assertThat(AuditNode.verifyOffline(write(program)).status()).isEqualTo(VerifyCommand.INTACT);
            List<AuditEntry> rewritten = new ArrayList<>();
            String previous = AuditEntry.GENESIS;
            for (AuditEntry entry : program) {
                JsonNode payload = entry.payload();
                if (entry.type().equals("HousingSubsidyPaid")) {
                    payload = payload.deepCopy();
                    ((ObjectNode) payload.path("amount")).put("amount", "3000.00");
                }
                AuditEntry forged = new AuditEntry(
                                entry.eventId(),
                                entry.globalIndex(),
                                entry.aggregateId(),
                                entry.aggregateSequence(),
                                entry.type(),
                                entry.version(),
                                entry.timestamp(),
                                payload,
                                entry.metadata(),
                                null,
                                null)
                        .chained(previous, entry.globalIndex());
                rewritten.add(forged);
                previous = forged.hash();
            }
            AuditNode.Offline broken = AuditNode.verifyOffline(write(rewritten));
            long paidAt = rewritten.stream()
                    .filter(e -> e.type().equals("HousingSubsidyPaid"))
                    .findFirst()
                    .orElseThrow()
                    .globalIndex();
            assertThat(broken.out())
                    .contains("Chains and seals: no break before global index " + paidAt)
                    .contains("Budget identity and arithmetic: BROKEN at global index " + paidAt + ":")
                    .contains("the budget identity breaks");
            assertThat(broken.status()).isEqualTo(VerifyCommand.BROKEN);

            Path garbage = files.resolve("garbage.ndjson");
            Files.writeString(garbage, "{\"eventId\": \"x\"}\nnot json\n");
            AuditNode.Offline unreadable = AuditNode.verifyOffline(garbage);
            assertThat(unreadable.status()).isEqualTo(VerifyCommand.UNREADABLE);
            assertThat(unreadable.err()).contains("line 1");
            assertThat(AuditNode.verifyOffline(files.resolve("absent.ndjson")).status())
                    .isEqualTo(VerifyCommand.UNREADABLE);
        } finally {
            PostgresDatabase.drop(database);
        }
    }

    private Path write(List<AuditEntry> entries) throws Exception {
        Path file = Files.createTempFile(files, "program-", ".ndjson");
        StringBuilder text = new StringBuilder();
        for (AuditEntry entry : entries) {
            text.append(entry.toJson()).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** "PROVINCE CURRENCY" → field → amount, from the offline report. */
    /** The read side's CNY figures of a province, once its processor has caught up with the log. */
    private static Map<String, String> awaitReadSide(AuditNode node, String province, Map<String, String> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, String> live;
        do {
            JsonNode budget = node.expect(200, node.get("/provinces/" + province + "/budget"));
            live = new TreeMap<>();
            for (JsonNode currency : budget.path("currencies")) {
                if (currency.path("currency").asText().equals("CNY")) {
                    for (String field : AuditNode.FIGURE_FIELDS) {
                        live.put(field, currency.path(field).asText());
                    }
                }
            }
            if (live.equals(expected)) {
                return live;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return live;
    }
}
