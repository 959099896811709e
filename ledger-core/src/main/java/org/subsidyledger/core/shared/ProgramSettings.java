package org.subsidyledger.core.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings a program was launched with — the {@code rules} object of SPEC §2 — one implementation per family of
 * program kinds. ("Rules" in the code is {@link Rules}, the collector of broken rules; these are settings.)
 */
public interface ProgramSettings {
    /** The money fields of the settings, so a launch can check they are all in the program's currency. */
    List<Money> moneyFields();

    /**
     * The amount at or above which issuing a voucher, granting a housing subsidy, appropriating or rescinding needs a
     * second person's approval (four eyes); null: never.
     */
    Money approvalThreshold();

    /** The same settings with {@code threshold} as the approval threshold. */
    ProgramSettings withApprovalThreshold(Money threshold);

    /** The threshold, when there is one, must be a positive amount. */
    static void requireThreshold(Money threshold) {
        Rules.require(
                threshold == null || threshold.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "rules.approvalThreshold must be a positive amount.");
    }

    /** The money fields of the settings, the threshold included when there is one. */
    static List<Money> withThreshold(List<Money> fields, Money threshold) {
        if (threshold == null) {
            return fields;
        }
        List<Money> all = new ArrayList<>(fields);
        all.add(threshold);
        return List.copyOf(all);
    }
}
