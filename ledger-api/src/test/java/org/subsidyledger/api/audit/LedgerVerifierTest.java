package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verifier's rules on logs built in memory, for the cases the database tests do not reach: a rewritten entry whose
 * hash was recomputed (its successor's link breaks), the same forged successor once a seal vouches for the entry
 * before it, a removal after the last seal, a repeated sequence, lines out of order, a seal that does not continue the
 * previous one.
 */
class LedgerVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stream's entries 0..n-1 at the given global indexes, correctly chained. */
    private static List<AuditEntry> stream(String aggregate, long... indexes) {
        List<AuditEntry> entries = new ArrayList<>();
        String previous = AuditEntry.GENESIS;
        for (int sequence = 0; sequence < indexes.length; sequence++) {
            AuditEntry entry = entry(aggregate, sequence, indexes[sequence], "reason " + sequence, previous);
            entries.add(entry);
            previous = entry.hash();
        }
        return entries;
    }

    private static AuditEntry entry(String aggregate, long sequence, long index, String reason, String prevHash) {
        ObjectNode payload = JSON.createObjectNode()
                .put("filingNo", aggregate)
                .put("vendorId", "v")
                .put("country", "CN")
                .put("reason", reason);
        return new AuditEntry(
                        "e-" + aggregate + "-" + sequence + "-" + index,
                        index,
                        aggregate,
                        sequence,
                        "ModelDeregistered",
                        "1",
                        "2026-08-14T02:00:00Z",
                        payload,
                        JSON.createObjectNode(),
                        null,
                        null)
                .chained(prevHash, index);
    }

    /** A seal of (from, to] over the given entries, as the seal writer computes it. */
    private static AuditEntry seal(
            long sealNo, long index, long from, long to, List<AuditEntry> covered, String prevHash) {
        SealDigests digests = new SealDigests();
        covered.stream()
                .filter(e -> e.globalIndex() > from && e.globalIndex() <= to)
                .forEach(e -> digests.add(e.globalIndex(), e.hash()));
        ObjectNode payload = JSON.createObjectNode()
                .put("sealNo", sealNo)
                .put("trigger", "ON_DEMAND")
                .put("fromGlobalIndex", from)
                .put("toGlobalIndex", to)
                .put("entries", digests.entries());
        payload.putArray("missingIndexes");
        payload.put("digest", digests.digest()).put("hashSetDigest", digests.hashSetDigest());
        return new AuditEntry(
                        "seal-" + sealNo,
                        index,
                        "ledger-seal",
                        sealNo,
                        "LedgerSealed",
                        "1",
                        "2026-08-15T00:00:00Z",
                        payload,
                        JSON.createObjectNode(),
                        null,
                        null)
                .chained(prevHash, index);
    }

    private static Verification verify(List<AuditEntry> entries) {
        LedgerVerifier verifier = new LedgerVerifier();
        entries.forEach(verifier::accept);
        return verifier.result();
    }

    @Test
    void anIntactSealedLogVerifies() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2, 3));
        log.add(seal(0, 4, 0, 3, log, AuditEntry.GENESIS));
        Verification v = verify(log);
        assertThat(v.verified()).as("%s", v).isTrue();
        assertThat(v.events()).isEqualTo(4);
        assertThat(v.seals()).isEqualTo(1);
        assertThat(v.unsealedEvents()).isZero();
        assertThat(v.lastSeal().toGlobalIndex()).isEqualTo(3);
    }

    @Test
    void anUnsealedEntryRewrittenWithItsHashRecomputedIsAlteredAtThatEntry() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2, 3));
        AuditEntry rewritten = entry("m-1", 1, 2, "rewritten", log.get(0).hash());
        log.set(1, rewritten);
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.ALTERED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(2);
    }

    @Test
    void aSuccessorThatDoesNotLinkToASealedEntryIsInserted() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2));
        log.add(seal(0, 3, 0, 2, log, AuditEntry.GENESIS));
        log.add(entry("m-1", 2, 5, "forged", "ab".repeat(32)));
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.INSERTED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(5);
    }

    @Test
    void anEntryRemovedAfterTheLastSealShowsAsASkippedSequence() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2, 3));
        log.remove(1);
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.REMOVED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(3);
        assertThat(v.detail()).contains("sequence 1 of m-1");
    }

    @Test
    void aRepeatedSequenceIsInserted() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2));
        log.add(entry("m-1", 1, 3, "again", log.get(0).hash()));
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.INSERTED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(3);
    }

    @Test
    void linesOutOfGlobalOrderAreReordered() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2));
        log.addAll(stream("m-2", 3, 4));
        log.add(1, log.remove(3)); // m-2#1 (index 4) moved up to second place
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.REORDERED);
        assertThat(v.verified()).isFalse();
    }

    @Test
    void aSealThatDoesNotContinueThePreviousOneIsAltered() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2));
        AuditEntry first = seal(0, 3, 0, 2, log, AuditEntry.GENESIS);
        log.add(first);
        log.addAll(stream("m-2", 4));
        log.add(seal(1, 5, 3, 4, log, first.hash())); // should start at 2
        Verification v = verify(log);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.ALTERED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(5);
    }

    // ---------------------------------------------------------------- anchors held outside the ledger

    /** m-1 at 1-2, seal 0 at 3 over (0, 2]; m-2 at 4-5, seal 1 at 6 over (2, 5]: the log as it stood when seal 1 was taken down outside. */
    private static List<AuditEntry> twoSeals() {
        List<AuditEntry> log = new ArrayList<>(stream("m-1", 1, 2));
        AuditEntry first = seal(0, 3, 0, 2, log, AuditEntry.GENESIS);
        log.add(first);
        log.addAll(stream("m-2", 4, 5));
        log.add(seal(1, 6, 2, 5, log, first.hash()));
        return log;
    }

    private static SealAnchor anchorOf(AuditEntry seal) {
        return SealAnchor.parse(seal.payload().path("sealNo").asLong() + ":"
                + seal.payload().path("digest").asText());
    }

    private static Verification verify(List<AuditEntry> entries, SealAnchor... anchors) {
        LedgerVerifier verifier = new LedgerVerifier().anchoredTo(List.of(anchors));
        entries.forEach(verifier::accept);
        return verifier.result();
    }

    @Test
    void aLogHoldingItsAnchoredSealVerifies() {
        List<AuditEntry> log = twoSeals();
        Verification v = verify(
                log, anchorOf(log.get(5)), SealAnchor.parse("0:" + log.get(2).hash()));
        assertThat(v.verified()).as("%s", v).isTrue();
        assertThat(v.anchors()).isEqualTo(2);
    }

    @Test
    void aTailRemovedWithItsSealFailsAgainstAnAnchorTakenEarlierAndOnlyThen() {
        List<AuditEntry> log = twoSeals();
        SealAnchor held = anchorOf(log.get(5));
        List<AuditEntry> cut = new ArrayList<>(log.subList(0, 3)); // m-2 and seal 1 gone: consistent in itself
        assertThat(verify(cut).verified())
                .as("without the anchor the cut log agrees with itself")
                .isTrue();
        Verification v = verify(cut, held);
        assertThat(v.verified()).as("%s", v).isFalse();
        assertThat(v.kind()).isEqualTo(Verification.Kind.REMOVED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(3);
        assertThat(v.detail()).contains("no seal 1");
    }

    @Test
    void aTailRewrittenAndSealedAgainIsAlteredAtTheAnchoredSeal() {
        List<AuditEntry> log = twoSeals();
        SealAnchor held = anchorOf(log.get(5));
        // m-2#1 rewritten with its hash recomputed, and seal 1 written again over the new content
        List<AuditEntry> rewritten = new ArrayList<>(log.subList(0, 4));
        rewritten.add(entry("m-2", 1, 5, "rewritten", log.get(3).hash()));
        rewritten.add(seal(1, 6, 2, 5, rewritten, log.get(2).hash()));
        assertThat(verify(rewritten).verified())
                .as("without the anchor the rewrite agrees with itself")
                .isTrue();
        Verification v = verify(rewritten, held);
        assertThat(v.kind()).as("%s", v).isEqualTo(Verification.Kind.ALTERED);
        assertThat(v.firstBrokenGlobalIndex()).isEqualTo(6);
        assertThat(v.detail()).contains("seal 1", held.digest());
    }

    @Test
    void anAnchorIsASealNumberAndA64HexDigest() {
        for (String bad :
                List.of("", "1", "1:abc", "x:" + "a".repeat(64), "1:" + "g".repeat(64), "-1:" + "a".repeat(64))) {
            assertThatThrownBy(() -> SealAnchor.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SEAL_NO:DIGEST");
        }
        assertThat(SealAnchor.parse(" 12:" + "AB".repeat(32) + " ")).isEqualTo(new SealAnchor(12, "ab".repeat(32)));
    }
}
