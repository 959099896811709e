package org.subsidyledger.core.housing;

import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;

/**
 * A person receiving a housing subsidy, known only by an opaque reference from the talent-certification system:
 * no names or national ID numbers are ever stored in the log.
 */
public record Recipient(String personRef, RecipientCategory category) {
    public Recipient {
        Text.requireId(personRef, "recipient.personRef");
        Rules.require(
                category != null,
                RejectionCode.VALIDATION_FAILED,
                "recipient.category must be GRADUATE, FOUNDER or PROFESSIONAL.");
    }
}
