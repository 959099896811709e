package org.subsidyledger.api.audit;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.subsidyledger.core.shared.Text;

/**
 * A seal an auditor holds outside the ledger's database: its number and its digest, as published in the
 * {@code LedgerSealed} record on Kafka or read from an earlier export (docs/AUDIT.md, "Anchors"). Written
 * {@code SEAL_NO:DIGEST}; the digest is the seal's {@code digest} (or, equally accepted, the seal entry's own
 * {@code hash}), 64 hexadecimal characters. A log verified against an anchor must hold that seal, unchanged: a log whose
 * tail was removed, or rewritten and sealed again, fails even though its own chains and seals agree with each other.
 */
public record SealAnchor(long sealNo, String digest) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,18}):([0-9a-fA-F]{64})");

    /** @throws IllegalArgumentException when {@code text} is not {@code SEAL_NO:DIGEST} */
    public static SealAnchor parse(String text) {
        var m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("an anchor is SEAL_NO:DIGEST (a seal number, a colon and the seal's"
                    + " 64-hex-character digest), not '" + Text.shown(text) + "'");
        }
        return new SealAnchor(Long.parseLong(m.group(1)), m.group(2).toLowerCase(Locale.ROOT));
    }

    /**
     * Every anchor of a request or a command line (none when {@code texts} is null).
     *
     * @throws IllegalArgumentException naming the first that is not {@code SEAL_NO:DIGEST}
     */
    public static List<SealAnchor> parseAll(List<String> texts) {
        return texts == null ? List.of() : texts.stream().map(SealAnchor::parse).toList();
    }

    /** Whether a seal with this number and this digest (or entry hash) is the one the anchor names. */
    boolean matches(String sealDigest, String sealHash) {
        return digest.equalsIgnoreCase(String.valueOf(sealDigest)) || digest.equalsIgnoreCase(String.valueOf(sealHash));
    }

    @Override
    public String toString() {
        return sealNo + ":" + digest;
    }
}
