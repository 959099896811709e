package org.subsidyledger.api.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The two digests of a seal (docs/AUDIT.md), computed the same way by the seal writer and the verifier:
 * {@code digest} = SHA-256 of {@code "globalIndex:hash\n"} of each entry in ascending index order (it fixes the order
 * and the set), {@code hashSetDigest} = SHA-256 of {@code "hash\n"} of the same hashes sorted (it fixes the set only,
 * so a verifier can tell entries reordered from entries altered).
 */
final class SealDigests {
    private final MessageDigest ordered = AuditEntry.sha256();
    private final List<String> hashes = new ArrayList<>();

    /** Adds the next entry; indexes must ascend. */
    void add(long globalIndex, String hash) {
        ordered.update(AuditEntry.utf8(globalIndex + ":" + hash + "\n"));
        hashes.add(hash);
    }

    int entries() {
        return hashes.size();
    }

    String digest() {
        return HexFormat.of().formatHex(ordered.digest());
    }

    String hashSetDigest() {
        MessageDigest set = AuditEntry.sha256();
        hashes.stream().sorted().forEach(h -> set.update(AuditEntry.utf8(h + "\n")));
        return HexFormat.of().formatHex(set.digest());
    }
}
