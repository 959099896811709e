package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.subsidyledger.api.audit.Attacker.Row;
import org.subsidyledger.api.support.MutableClock;
import org.subsidyledger.api.support.PostgresDatabase;
import org.subsidyledger.core.registry.RegistryEvent;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.ProviderId;

/**
 * SPEC §8 tamper evidence on real PostgreSQL: an attacker with superuser rights rewrites the log with plain SQL
 * (append-only trigger disabled) — one byte of a payload, a row deleted, two rows' contents swapped, a forged row at an
 * index a seal lists as missing, a forged row at the tail that does not link — and both {@code GET /audit/verify} and
 * the offline verifier on a fresh export name the right global index and kind. Each test then undoes its change and
 * the log verifies again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresTamperEvidenceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-14T02:00:00Z"));
    private String database;
    private AuditNode node;

    @TempDir
    Path files;

    @BeforeAll
    void start() {
        database = PostgresDatabase.create("subsidy_ledger_audit_");
        node = AuditNode.start(database, clock);
    }

    @AfterAll
    void stop() {
        try {
            if (node != null) {
                node.close();
            }
        } finally {
            PostgresDatabase.drop(database);
        }
    }

    /** ProgramLaunched, FundsAppropriated, VoucherIssued ×2, ComputeRedeemed; then a seal. Returns the program id. */
    private String sealedHistory() {
        String programId = node.launchCompute("CN-ZJ", "10000000.00");
        String providerId = node.accreditCompute();
        String voucher = node.issue(programId, "500000.00");
        node.issue(programId, "600000.00");
        node.redeem(voucher, providerId, "1000.00");
        assertThat(node.seal()).as("a seal over the new entries").isTrue();
        assertIntact();
        return programId;
    }

    private void assertIntact() {
        JsonNode verified = node.verify();
        assertThat(verified.path("verified").asBoolean())
                .as("verify: %s", verified)
                .isTrue();
        assertThat(verified.path("events").asLong()).isEqualTo(count());
    }

    private long count() {
        return node.jdbc.queryForObject("SELECT COUNT(*) FROM domain_event_entry", Long.class);
    }

    private long index(String aggregateId, long sequence) {
        return node.jdbc.queryForObject(
                "SELECT global_index FROM domain_event_entry WHERE aggregate_identifier = ?"
                        + " AND sequence_number = ?",
                Long.class,
                aggregateId,
                sequence);
    }

    /** Both verifiers: the endpoint on the stored log, the offline command on a fresh export. */
    private void assertBroken(long index, String kind) throws Exception {
        JsonNode answer = node.verify();
        assertThat(answer.path("verified").asBoolean()).as("verify: %s", answer).isFalse();
        assertThat(answer.path("firstBrokenGlobalIndex").asLong())
                .as("index in %s", answer)
                .isEqualTo(index);
        assertThat(answer.path("kind").asText()).as("kind in %s", answer).isEqualTo(kind);
        assertThat(answer.path("detail").asText()).isNotBlank();

        AuditNode.Offline offline = AuditNode.verifyOffline(node.export(files));
        assertThat(offline.status())
                .as("exit status; out: %s err: %s", offline.out(), offline.err())
                .isEqualTo(VerifyCommand.BROKEN);
        assertThat(offline.out()).contains("BROKEN at global index " + index + ": " + kind);
    }

    private void assertOfflineIntact() throws Exception {
        AuditNode.Offline offline = AuditNode.verifyOffline(node.export(files));
        assertThat(offline.out()).contains("Chains and seals: INTACT");
        assertThat(offline.status())
                .as("exit status; out: %s err: %s", offline.out(), offline.err())
                .isEqualTo(VerifyCommand.INTACT);
    }

    @Test
    void oneByteOfOnePayloadChangedIsAltered() throws Exception {
        String programId = sealedHistory();
        assertOfflineIntact();
        long issued = index(programId, 2);
        try (Attacker attacker = new Attacker(database)) {
            Row original = attacker.read(issued);
            assertThat(attacker.update(
                            "UPDATE domain_event_entry SET payload = convert_to(replace(convert_from("
                                    + "payload, 'UTF8'), '\"500000.00\"', '\"900000.00\"'), 'UTF8') WHERE global_index = ?",
                            issued))
                    .isEqualTo(1);
            assertThat(new String(attacker.read(issued).payload()).length())
                    .isEqualTo(new String(original.payload()).length());
            assertBroken(issued, "ALTERED");
            attacker.delete(issued);
            attacker.insert(original);
        }
        assertIntact();
    }

    /**
     * Issue 17: someone with database rights removes the newest seal and everything from the last entry before it on.
     * What is left agrees with itself, so it verifies, with a warning naming the one entry no seal vouches for; checked
     * against the removed seal, taken down outside the ledger before the removal, it fails, online and offline.
     */
    @Test
    void aTailRemovedWithItsSealFailsAgainstAnAnchorTakenEarlier() throws Exception {
        String programId = sealedHistory();
        for (int i = 0; i < 3; i++) {
            node.issue(programId, "1000.00");
        }
        assertThat(node.seal()).isTrue();
        JsonNode sealed = node.verify();
        String anchor = sealed.path("lastSeal").path("sealNo").asLong() + ":"
                + sealed.path("lastSeal").path("hash").asText();
        assertThat(node.verify(anchor).path("verified").asBoolean())
                .as("the log holds its anchor")
                .isTrue();
        assertOfflineIntact();
        long firstRemoved = index(programId, 6); // the second of the three issues (sequences 5, 6, 7)
        List<Row> removed = new ArrayList<>();
        try (Attacker attacker = new Attacker(database)) {
            for (long index : node.jdbc.queryForList(
                    "SELECT global_index FROM domain_event_entry WHERE global_index" + " >= ? ORDER BY global_index",
                    Long.class,
                    firstRemoved)) {
                removed.add(attacker.read(index));
                attacker.delete(index);
            }
            assertThat(removed).as("two issues and the seal").hasSize(3);

            JsonNode alone = node.verify();
            assertThat(alone.path("verified").asBoolean())
                    .as("the cut log agrees with itself: %s", alone)
                    .isTrue();
            assertThat(alone.path("unsealedEvents").asLong()).isEqualTo(1);
            JsonNode anchored = node.verify(anchor);
            assertThat(anchored.path("verified").asBoolean()).as("%s", anchored).isFalse();
            assertThat(anchored.path("kind").asText()).isEqualTo("REMOVED");
            assertThat(anchored.path("anchors").asInt()).isEqualTo(1);

            Path export = node.export(files);
            AuditNode.Offline plain = AuditNode.verifyOffline(export);
            assertThat(plain.status()).as("out: %s", plain.out()).isEqualTo(VerifyCommand.INTACT);
            assertThat(plain.out()).contains("WARNING: 1 entries after index").contains("--anchor");
            AuditNode.Offline offline = AuditNode.verifyOffline(export, "--anchor", anchor);
            assertThat(offline.status()).as("out: %s", offline.out()).isEqualTo(VerifyCommand.BROKEN);
            assertThat(offline.out()).contains("Chains and seals: BROKEN").contains("REMOVED");
            assertThat(AuditNode.verifyOffline(export, "--anchor", "not-an-anchor")
                            .status())
                    .isEqualTo(VerifyCommand.UNREADABLE);
            for (Row row : removed) {
                attacker.insert(row);
            }
        }
        assertThat(node.verify(anchor).path("verified").asBoolean()).isTrue();
        assertIntact();
    }

    /**
     * Issue 17: a voucher revoked after the last seal, whose {@code VoucherRevoked} is rewritten to release 1.00 less,
     * with its hash recomputed. Every hash and link holds (nothing follows it in its chain, no seal covers it); SPEC
     * §4's identity does not: the revoked voucher holds nothing, so 1.00 of what was issued is neither committed,
     * disbursed nor released. Both verifiers name that entry with both sides of the identity.
     */
    @Test
    void aConsistentEditOfAnUnsealedReleaseBreaksTheIdentityAtThatEntry() throws Exception {
        String programId = sealedHistory();
        String voucher = node.issue(programId, "2500.00");
        node.expect(200, node.post("/vouchers/" + voucher + "/revocation", "{\"reason\":\"fraud\"}"));
        long revoked = node.jdbc.queryForObject(
                "SELECT MAX(global_index) FROM domain_event_entry WHERE" + " aggregate_identifier = ?",
                Long.class,
                programId);
        assertIntact();
        try (Attacker attacker = new Attacker(database)) {
            Attacker.Row original = attacker.read(revoked);
            String payload = new String(original.payload(), StandardCharsets.UTF_8);
            assertThat(original.payloadType()).endsWith("VoucherRevoked");
            assertThat(payload).contains("\"released\":{\"amount\":\"2500.00\"");
            attacker.delete(revoked);
            attacker.insert(Attacker.rewritten(
                    original,
                    payload.replace("\"released\":{\"amount\":\"2500.00\"", "\"released\":{\"amount\":\"2499.00\"")));

            JsonNode answer = node.verify();
            assertThat(answer.path("verified").asBoolean())
                    .as("verify: %s", answer)
                    .isFalse();
            assertThat(answer.path("firstBrokenGlobalIndex").asLong())
                    .as("%s", answer)
                    .isEqualTo(revoked);
            assertThat(answer.path("kind").asText()).isEqualTo("INCONSISTENT");
            assertThat(answer.path("detail").asText())
                    .contains(programId)
                    .contains("Σ issued + Σ granted = 1102500.00")
                    .contains("committed + disbursed + released = 1099700.00 + 300.00 + 2499.00 = 1102499.00")
                    .contains("VoucherRevoked releases 2499.00 CNY where " + voucher + " held 2500.00 CNY");
            AuditNode.Offline offline = AuditNode.verifyOffline(node.export(files));
            assertThat(offline.status()).as("out: %s", offline.out()).isEqualTo(VerifyCommand.BROKEN);
            assertThat(offline.out())
                    .contains("Budget identity and arithmetic: BROKEN at global index " + revoked + ": INCONSISTENT")
                    .contains("= 1102499.00");

            attacker.delete(revoked);
            attacker.insert(original);
        }
        assertIntact();
    }

    @Test
    void aDeletedRowIsRemoved() throws Exception {
        String programId = sealedHistory();
        long appropriated = index(programId, 1);
        try (Attacker attacker = new Attacker(database)) {
            Row original = attacker.read(appropriated);
            attacker.delete(appropriated);
            assertBroken(appropriated, "REMOVED");
            attacker.insert(original);
        }
        assertIntact();
    }

    @Test
    void twoRowsWithTheirContentsSwappedAreReordered() throws Exception {
        String programId = sealedHistory();
        long first = index(programId, 2);
        long second = index(programId, 3);
        try (Attacker attacker = new Attacker(database)) {
            Row a = attacker.read(first);
            Row b = attacker.read(second);
            attacker.delete(first);
            attacker.delete(second);
            attacker.insert(b.at(first));
            attacker.insert(a.at(second));
            assertBroken(first, "REORDERED");
            attacker.delete(first);
            attacker.delete(second);
            attacker.insert(a);
            attacker.insert(b);
        }
        assertIntact();
    }

    /**
     * Two adjacent rows of different chains swapped: every chain still reads in order, so only the seal's digest shows
     * it; the seal fixes the set of hashes too, so it is a reordering, located at the seal's range (docs/AUDIT.md,
     * limits: the seal does not say which index moved).
     */
    @Test
    void rowsOfTwoChainsSwappedAreReorderedWithinTheirSeal() throws Exception {
        String programId = sealedHistory();
        long appropriated = index(programId, 1);
        long accredited = appropriated + 1;
        long from = lastSeal().path("payload").path("fromGlobalIndex").asLong();
        try (Attacker attacker = new Attacker(database)) {
            Row a = attacker.read(appropriated);
            Row b = attacker.read(accredited);
            assertThat(b.aggregateId())
                    .as("the provider's accreditation follows the appropriation")
                    .isNotEqualTo(programId);
            attacker.delete(appropriated);
            attacker.delete(accredited);
            attacker.insert(b.at(appropriated));
            attacker.insert(a.at(accredited));
            assertBroken(from + 1, "REORDERED");
            attacker.delete(appropriated);
            attacker.delete(accredited);
            attacker.insert(a);
            attacker.insert(b);
        }
        assertIntact();
    }

    @Test
    void aRowForgedAtAnIndexTheSealListsAsMissingIsInserted() throws Exception {
        String programId = node.launchCompute("CN-ZJ", "10000000.00");
        long gap;
        try (Attacker attacker = new Attacker(database)) {
            gap = attacker.drawIndex(); // as an append that rolled back
        }
        node.issue(programId, "700000.00");
        assertThat(node.seal()).isTrue();
        JsonNode seal = lastSeal();
        assertThat(seal.path("payload").path("missingIndexes").toString()).contains(String.valueOf(gap));
        assertIntact();

        try (Attacker attacker = new Attacker(database)) {
            Row template = attacker.read(index(programId, 1));
            attacker.insert(Attacker.forged(
                    template, gap, AuditNode.uid("forged"), 0, UUID.randomUUID().toString(), AuditEntry.GENESIS));
            assertBroken(gap, "INSERTED");
            attacker.delete(gap);
        }
        assertIntact();
    }

    @Test
    void aRowForgedAtTheTailThatDoesNotLinkIsInserted() throws Exception {
        String programId = sealedHistory();
        long last = node.jdbc.queryForObject(
                "SELECT MAX(sequence_number) FROM domain_event_entry" + " WHERE aggregate_identifier = ?",
                Long.class,
                programId);
        long forgedAt;
        try (Attacker attacker = new Attacker(database)) {
            forgedAt = attacker.drawIndex();
            Row template = attacker.read(index(programId, 1));
            attacker.insert(Attacker.forged(
                    template, forgedAt, programId, last + 1, UUID.randomUUID().toString(), "ab".repeat(32)));
            assertBroken(forgedAt, "INSERTED");
            attacker.delete(forgedAt);
        }
        assertIntact();
    }

    /**
     * The export (SPEC §8): NDJSON in global index order, each line an envelope whose hash is the canonical form's
     * SHA-256; paged with {@code after}/{@code limit} it is the same stream; filters select; bad parameters are 400;
     * a province officer may not read it.
     */
    @Test
    void theExportIsTheLogInOrderPagedAndFiltered() throws Exception {
        String programId = sealedHistory();
        AuditNode.Reply full = node.get("/audit/events");
        assertThat(full.contentType()).startsWith("application/x-ndjson");
        List<JsonNode> lines = full.lines();
        assertThat((long) lines.size()).isEqualTo(count());
        List<Long> indexes =
                lines.stream().map(l -> l.path("globalIndex").asLong()).toList();
        assertThat(indexes).isSorted().doesNotHaveDuplicates();
        for (JsonNode line : lines) {
            assertThat(line.fieldNames())
                    .toIterable()
                    .containsExactly(
                            "eventId",
                            "globalIndex",
                            "aggregateId",
                            "aggregateSequence",
                            "type",
                            "version",
                            "timestamp",
                            "payload",
                            "metadata",
                            "hash",
                            "prevHash");
            AuditEntry entry = AuditEntry.parse(line.toString());
            assertThat(entry.computeHash())
                    .as("hash of %s", line)
                    .isEqualTo(line.path("hash").asText());
            assertThat(line.path("metadata").has("hash")).isFalse();
        }
        JsonNode launched = lines.stream()
                .filter(l -> l.path("aggregateId").asText().equals(programId))
                .findFirst()
                .orElseThrow();
        assertThat(launched.path("type").asText()).isEqualTo("ProgramLaunched");
        assertThat(launched.path("version").asText())
                .as("ProgramLaunched's revision")
                .isEqualTo("2");
        assertThat(launched.path("prevHash").asText()).isEqualTo(AuditEntry.GENESIS);
        assertThat(launched.path("metadata").path("principal").asText()).isEqualTo("national");
        String stored = node.jdbc.queryForObject(
                "SELECT time_stamp FROM domain_event_entry WHERE event_identifier" + " = ?",
                String.class,
                launched.path("eventId").asText());
        assertThat(launched.path("timestamp").asText()).isEqualTo(stored);

        List<JsonNode> paged = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < 1000; page++) {
            List<JsonNode> got =
                    node.get("/audit/events?limit=3&after=" + after).lines();
            assertThat(got.size()).isLessThanOrEqualTo(3);
            if (got.isEmpty()) {
                break;
            }
            paged.addAll(got);
            after = got.get(got.size() - 1).path("globalIndex").asLong();
        }
        assertThat(paged).isEqualTo(lines);

        List<JsonNode> ofProgram =
                node.get("/audit/events?aggregateId=" + programId).lines();
        assertThat(ofProgram)
                .hasSize(5)
                .allMatch(l -> l.path("aggregateId").asText().equals(programId));
        assertThat(ofProgram)
                .extracting(l -> l.path("aggregateSequence").asLong())
                .containsExactly(0L, 1L, 2L, 3L, 4L);
        List<JsonNode> issued =
                node.get("/audit/events?type=VoucherIssued&province=CN-ZJ").lines();
        assertThat(issued)
                .isNotEmpty()
                .allMatch(l -> l.path("type").asText().equals("VoucherIssued")
                        && l.path("payload").path("province").asText().equals("CN-ZJ"));
        assertThat(issued).hasSize((int) lines.stream()
                .filter(l -> l.path("type").asText().equals("VoucherIssued")
                        && l.path("payload").path("province").asText().equals("CN-ZJ"))
                .count());
        assertThat(node.get("/audit/events?type=LedgerSealed").lines())
                .isNotEmpty()
                .allMatch(l -> l.path("aggregateId").asText().equals("ledger-seal"));
        assertThat(node.get("/audit/events?province=CN-GD").lines()).isEmpty();

        for (String bad : List.of(
                "limit=0", "limit=100001", "after=-1", "type=NoSuchEvent", "province=XX-XX", "aggregateId=a%20b")) {
            AuditNode.Reply reply = node.get("/audit/events?" + bad);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().path("code").asText()).isEqualTo("VALIDATION_FAILED");
        }
        assertThat(node.get("/audit/events", "officer-cn-zj").status()).isEqualTo(403);
        assertThat(node.get("/audit/verify", "officer-cn-zj").status()).isEqualTo(403);
        assertThat(node.get("/audit/events?limit=1", "auditor").status()).isEqualTo(200);
    }

    /**
     * Many entries stream through the export and the verifier (a cursor, a page at a time): 20,000 entries appended
     * straight through the store, in chains of 100, exported whole and by pages, verified online and offline.
     */
    @Test
    void manyEntriesStream() throws Exception {
        var engine = node.context.getBean(EventStorageEngine.class);
        var transactions = new TransactionTemplate(node.context.getBean(PlatformTransactionManager.class));
        String prefix = AuditNode.uid("bulk");
        for (int chain = 0; chain < 200; chain++) {
            String aggregate = prefix + "-" + chain;
            List<DomainEventMessage<?>> batch = new ArrayList<>();
            for (int sequence = 0; sequence < 100; sequence++) {
                batch.add(new GenericDomainEventMessage<>(
                        "Bulk",
                        aggregate,
                        sequence,
                        new RegistryEvent.ModelDeregistered(
                                new FilingNo("Beijing-Bulk-" + chain + "-" + sequence),
                                new ProviderId("vendor"),
                                "CN",
                                "bulk"),
                        Map.of("principal", "national")));
            }
            transactions.executeWithoutResult(tx -> engine.appendEvents(batch));
        }
        assertThat(node.seal()).isTrue();
        long total = count();
        assertThat(total).isGreaterThan(20_000);

        JsonNode verified = node.verify();
        assertThat(verified.path("verified").asBoolean()).as("%s", verified).isTrue();
        assertThat(verified.path("events").asLong()).isEqualTo(total);
        assertThat(verified.path("unsealedEvents").asLong()).isZero();

        Path export = node.export(files);
        assertThat(Files.lines(export).count()).isEqualTo(total);
        assertOfflineIntact();
        List<JsonNode> ofOne =
                node.get("/audit/events?aggregateId=" + prefix + "-7").lines();
        assertThat(ofOne)
                .extracting(l -> l.path("aggregateSequence").asLong())
                .isSorted()
                .hasSize(100);
        long firstOfPage = node.get("/audit/events?limit=5000&after=10")
                .lines()
                .get(0)
                .path("globalIndex")
                .asLong();
        assertThat(firstOfPage).isGreaterThan(10);
        assertThat(node.get("/audit/events?limit=5000").lines()).hasSize(5000);
    }

    private JsonNode lastSeal() {
        List<JsonNode> seals = node.get("/audit/events?type=LedgerSealed").lines();
        assertThat(seals).isNotEmpty();
        return seals.get(seals.size() - 1);
    }
}
