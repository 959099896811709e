package org.subsidyledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.subsidyledger.api.audit.Verification.Kind;
import org.subsidyledger.api.audit.Verification.SealInfo;
import org.subsidyledger.api.store.LedgerJson;
import org.subsidyledger.core.audit.LedgerSealed;
import org.subsidyledger.core.budget.IdentityCheck;
import org.subsidyledger.core.program.approval.FourEyesCheck;
import org.subsidyledger.core.shared.ProgramStreamEvent;

/**
 * Checks a log, entry by entry in global index order, against its hash chains and its seals (docs/AUDIT.md). The one
 * implementation behind {@code GET /audit/verify} (entries read from the database) and the offline {@code verify}
 * command (entries read from an export); feed it with {@link #accept} and ask {@link #result}.
 *
 * <p>Memory: one small state per aggregate, and the (index, hash) pairs of the entries not yet covered by a seal, so
 * a long log streams through it.
 *
 * <p>Several findings may explain one change (an entry rewritten with a recomputed hash also breaks its successor's
 * link and its seal's digest); the answer is the finding at the lowest global index among those that locate an entry,
 * and only when none does, a seal-level finding at the first index of the seal's range.
 */
public final class LedgerVerifier {
    private static final String SEAL_TYPE = LedgerSealed.class.getSimpleName();
    private static final ObjectMapper STORED = LedgerJson.newMapper();

    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, Gap> gaps = new HashMap<>();
    private final List<Covered> uncovered = new ArrayList<>();
    private Finding located;
    private Finding unlocated;
    private long events;
    private long seals;
    private long previousIndex = Long.MIN_VALUE;
    private long coveredTo;
    private long vouchedTo;
    private SealInfo lastSeal;
    private final Map<Long, SealAnchor> anchors = new HashMap<>();
    private final Set<Long> anchorsMet = new HashSet<>();
    private final IdentityCheck identity = new IdentityCheck();
    private final FourEyesCheck fourEyes = new FourEyesCheck();
    private Consumer<ProgramStreamEvent> figures = e -> {};

    /**
     * Also requires the log to hold each of these seals, unchanged ({@link SealAnchor}); call before the first
     * {@link #accept}. A seal an anchor names that the log lacks is a removal (the tail it covered is gone, or was
     * rewritten without it); one that differs from its anchor is an alteration at the seal.
     */
    public LedgerVerifier anchoredTo(Collection<SealAnchor> held) {
        held.forEach(a -> anchors.put(a.sealNo(), a));
        return this;
    }

    /** Also hands every event of a program's stream, as read from its payload, to {@code fold}. */
    public LedgerVerifier alsoFolding(Consumer<ProgramStreamEvent> fold) {
        this.figures = fold;
        return this;
    }

    /** Checks one entry; entries must come in the order they are stored (an export's line order). */
    public void accept(AuditEntry entry) {
        events++;
        long index = entry.globalIndex();
        if (index <= previousIndex) {
            locate(
                    index,
                    Kind.REORDERED,
                    "entry " + entry.eventId() + " at index " + index + " comes after index " + previousIndex);
        }
        previousIndex = Math.max(previousIndex, index);
        if (!entry.computeHash().equals(entry.hash())) {
            locate(index, Kind.ALTERED, "the content of " + describe(entry) + " no longer hashes to its stored hash");
        }
        link(entry);
        if (index > coveredTo) {
            uncovered.add(new Covered(index, String.valueOf(entry.hash())));
        }
        if (LedgerSealed.AGGREGATE_ID.equals(entry.aggregateId()) && SEAL_TYPE.equals(entry.type())) {
            seal(entry);
        } else {
            figures(entry);
        }
    }

    /** Folds a program stream's event into the budget identity check (docs/AUDIT.md §6, step 5). */
    private void figures(AuditEntry entry) {
        Class<?> type = EventTypes.BY_NAME.get(entry.type());
        if (type == null || !ProgramStreamEvent.class.isAssignableFrom(type)) {
            return;
        }
        ProgramStreamEvent event;
        try {
            event = (ProgramStreamEvent) STORED.treeToValue(entry.payload(), type);
            if (event.programId() == null || event.currency() == null) {
                throw new IllegalArgumentException("it names no program or no currency");
            }
        } catch (IOException | RuntimeException e) {
            locate(
                    entry.globalIndex(),
                    Kind.INCONSISTENT,
                    "the payload of " + describe(entry) + " is not a valid " + entry.type() + ": " + e.getMessage());
            return;
        }
        boolean sound = identity.firstFinding() == null;
        identity.accept(entry.globalIndex(), event);
        IdentityCheck.Finding finding = identity.firstFinding();
        if (sound && finding != null) {
            locate(finding.globalIndex(), Kind.INCONSISTENT, "at " + describe(entry) + ", " + finding.describe());
        }
        boolean approved = fourEyes.firstFinding() == null;
        fourEyes.accept(entry.globalIndex(), event);
        FourEyesCheck.Finding unapproved = fourEyes.firstFinding();
        if (approved && unapproved != null) {
            locate(
                    unapproved.globalIndex(),
                    Kind.INCONSISTENT,
                    "at " + describe(entry) + ", " + unapproved.programId() + ": " + unapproved.problem());
        }
        figures.accept(event);
    }

    /** The answer for everything accepted so far. */
    public Verification result() {
        Finding first = located;
        for (Map.Entry<String, Gap> e : gaps.entrySet()) {
            first = earliest(
                    first,
                    new Finding(
                            e.getValue().atIndex,
                            Kind.REMOVED,
                            "sequence " + e.getValue().expected + " of " + e.getKey() + " is missing before index "
                                    + e.getValue().atIndex));
        }
        for (SealAnchor anchor : anchors.values()) {
            if (!anchorsMet.contains(anchor.sealNo())) {
                first = earliest(
                        first,
                        new Finding(
                                coveredTo + 1,
                                Kind.REMOVED,
                                "the log holds no seal "
                                        + anchor.sealNo() + ", which an anchor held outside the ledger names (" + anchor
                                        + "): what"
                                        + " followed index " + coveredTo + " was removed or rewritten"));
            }
        }
        if (first == null) {
            first = unlocated;
        }
        long lastSealIndex = lastSeal == null ? -1 : lastSeal.globalIndex();
        long unsealed = uncovered.stream()
                .filter(c -> c.index > coveredTo && c.index != lastSealIndex)
                .count();
        Integer anchored = anchors.isEmpty() ? null : anchors.size();
        if (first == null) {
            return new Verification(
                    true, events, seals, lastSeal, unsealed, anchored, identity.programs(), null, null, null);
        }
        return new Verification(
                false,
                events,
                seals,
                lastSeal,
                unsealed,
                anchored,
                identity.programs(),
                first.index,
                first.kind,
                first.detail);
    }

    /** Where this entry stands in its aggregate's chain. */
    private void link(AuditEntry entry) {
        String aggregate = entry.aggregateId();
        long sequence = entry.aggregateSequence();
        long index = entry.globalIndex();
        Chain chain = chains.get(aggregate);
        long expected = chain == null ? 0 : chain.sequence + 1;
        if (sequence == expected) {
            String expectedPrev = chain == null ? AuditEntry.GENESIS : chain.hash;
            if (!expectedPrev.equals(entry.prevHash())) {
                if (chain == null) {
                    locate(
                            index,
                            Kind.INSERTED,
                            describe(entry) + " starts its chain with a prevHash other than 64" + " zeros");
                } else if (chain.index <= vouchedTo) {
                    locate(
                            index,
                            Kind.INSERTED,
                            describe(entry) + " does not link to the sealed entry before it" + " (index " + chain.index
                                    + ")");
                } else {
                    locate(
                            chain.index,
                            Kind.ALTERED,
                            "the stored hash of " + aggregate + "#" + chain.sequence
                                    + " at index " + chain.index + " is not what the chain's next entry (index " + index
                                    + ") committed to");
                }
            }
            chains.put(aggregate, new Chain(sequence, String.valueOf(entry.hash()), index));
        } else if (sequence > expected) {
            gaps.putIfAbsent(aggregate, new Gap(expected, index));
            chains.put(aggregate, new Chain(sequence, String.valueOf(entry.hash()), index));
        } else {
            Gap gap = gaps.get(aggregate);
            if (gap != null && sequence >= gap.expected) {
                locate(
                        gap.atIndex,
                        Kind.REORDERED,
                        aggregate + "#" + sequence + " is stored at index " + index
                                + ", after later entries of its chain (from index " + gap.atIndex + ")");
                if (sequence == gap.expected) {
                    gaps.remove(aggregate);
                }
            } else {
                locate(index, Kind.INSERTED, describe(entry) + " repeats a sequence number of its chain");
            }
        }
    }

    /** Checks the range a seal covers against the entries held since the previous one. */
    private void seal(AuditEntry entry) {
        seals++;
        JsonNode p = entry.payload();
        long from = p.path("fromGlobalIndex").asLong(-1);
        long to = p.path("toGlobalIndex").asLong(-1);
        long sealNo = p.path("sealNo").asLong(-1);
        if (from < 0
                || to < from
                || to >= entry.globalIndex()
                || !p.path("digest").isTextual()
                || !p.path("missingIndexes").isArray()) {
            locate(entry.globalIndex(), Kind.ALTERED, "seal " + describe(entry) + " is malformed");
            return;
        }
        SealAnchor anchor = anchors.get(sealNo);
        if (anchor != null
                && anchorsMet.add(sealNo)
                && !anchor.matches(p.path("digest").asText(), entry.hash())) {
            locate(
                    entry.globalIndex(),
                    Kind.ALTERED,
                    "seal " + sealNo + " is not the seal an anchor held outside the" + " ledger names (" + anchor
                            + "): its digest is " + p.path("digest").asText());
        }
        if (from != coveredTo) {
            locate(
                    entry.globalIndex(),
                    Kind.ALTERED,
                    "seal " + sealNo + " starts at " + from + ", not where the previous seal ended (" + coveredTo
                            + ")");
        }
        Set<Long> missing = new HashSet<>();
        p.path("missingIndexes").forEach(n -> missing.add(n.asLong()));
        Map<Long, String> present = new HashMap<>();
        List<Covered> inRange = new ArrayList<>();
        for (Covered c : uncovered) {
            if (c.index > from && c.index <= to) {
                present.put(c.index, c.hash);
                inRange.add(c);
            }
        }
        boolean clean = true;
        for (long i = from + 1; i <= to; i++) {
            boolean there = present.containsKey(i);
            if (there && missing.contains(i)) {
                locate(i, Kind.INSERTED, "index " + i + " holds an entry, but seal " + sealNo + " lists it as missing");
                clean = false;
            } else if (!there && !missing.contains(i)) {
                locate(i, Kind.REMOVED, "index " + i + " is covered by seal " + sealNo + " but holds no entry");
                clean = false;
            }
        }
        SealDigests digests = new SealDigests();
        for (Covered c : inRange) {
            if (!missing.contains(c.index)) {
                digests.add(c.index, c.hash);
            }
        }
        if (!digests.digest().equals(p.path("digest").asText())) {
            clean = false;
            boolean sameSet =
                    digests.hashSetDigest().equals(p.path("hashSetDigest").asText());
            long first = from + 1;
            if (sameSet) {
                unlocated = earliest(
                        unlocated,
                        new Finding(
                                first,
                                Kind.REORDERED,
                                "the entries of (" + from + ", " + to + "] are those" + " seal " + sealNo
                                        + " committed to, in another order"));
            } else {
                unlocated = earliest(
                        unlocated,
                        new Finding(
                                first,
                                Kind.ALTERED,
                                "the entries of (" + from + ", " + to + "] are not" + " those seal " + sealNo
                                        + " committed to"));
            }
        }
        uncovered.removeIf(c -> c.index <= to);
        coveredTo = Math.max(coveredTo, to);
        if (clean) {
            vouchedTo = Math.max(vouchedTo, to);
        }
        lastSeal = new SealInfo(sealNo, entry.globalIndex(), to, entry.timestamp(), entry.hash());
    }

    private void locate(long index, Kind kind, String detail) {
        located = earliest(located, new Finding(index, kind, detail));
    }

    /** The finding at the lower index; the first one found on a tie. */
    private static Finding earliest(Finding a, Finding b) {
        return a == null || b.index < a.index ? b : a;
    }

    private static String describe(AuditEntry entry) {
        return entry.type() + " " + entry.aggregateId() + "#" + entry.aggregateSequence() + " (index "
                + entry.globalIndex() + ")";
    }

    private record Chain(long sequence, String hash, long index) {}

    private record Gap(long expected, long atIndex) {}

    private record Covered(long index, String hash) {}

    private record Finding(long index, Kind kind, String detail) {}
}
