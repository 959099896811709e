package org.subsidyledger.core.housing;

import java.time.YearMonth;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;

/** Commands on housing grants; like vouchers, grants are decided by their program aggregate. */
public final class HousingCommands {
    private HousingCommands() {}

    public record GrantHousingSubsidy(
            @TargetAggregateIdentifier ProgramId programId,
            GrantId grantId,
            Recipient recipient,
            YearMonth startMonth,
            Money monthlyRent)
            implements ApprovableCommand {
        public GrantHousingSubsidy {
            Rules.require(grantId != null, RejectionCode.VALIDATION_FAILED, "grantId is required.");
            Rules.require(recipient != null, RejectionCode.VALIDATION_FAILED, "recipient is required.");
            Rules.require(startMonth != null, RejectionCode.VALIDATION_FAILED, "startMonth is required (\"2026-07\").");
            requireLedgerEra(startMonth, "startMonth");
            Rules.require(
                    monthlyRent != null && monthlyRent.isPositive(),
                    RejectionCode.VALIDATION_FAILED,
                    "monthlyRent must be a positive amount.");
        }
    }

    public record ClaimHousingSubsidy(
            @TargetAggregateIdentifier ProgramId programId,
            GrantId grantId,
            YearMonth month,
            Money rentPaid,
            String leaseRef) {
        public ClaimHousingSubsidy {
            Rules.require(grantId != null, RejectionCode.VALIDATION_FAILED, "grantId is required.");
            Rules.require(month != null, RejectionCode.VALIDATION_FAILED, "month is required (\"2026-08\").");
            requireLedgerEra(month, "month");
            Rules.require(
                    rentPaid != null && rentPaid.isPositive(),
                    RejectionCode.VALIDATION_FAILED,
                    "rentPaid must be a positive amount.");
            Text.requireText(leaseRef, "leaseRef");
        }
    }

    /** {@code effectiveMonth} is the first month no longer subsidised. */
    public record TerminateHousingGrant(
            @TargetAggregateIdentifier ProgramId programId, GrantId grantId, String reason, YearMonth effectiveMonth) {
        public TerminateHousingGrant {
            Rules.require(grantId != null, RejectionCode.VALIDATION_FAILED, "grantId is required.");
            Text.requireText(reason, "reason");
            Rules.require(
                    effectiveMonth != null,
                    RejectionCode.VALIDATION_FAILED,
                    "effectiveMonth is required (\"2027-03\").");
            requireLedgerEra(effectiveMonth, "effectiveMonth");
        }
    }

    /** Months the ledger deals in: from 2000 to 2199, so every schedule and claim window stays in four-digit years. */
    public static final int FIRST_YEAR = 2000;

    public static final int LAST_YEAR = 2199;

    private static void requireLedgerEra(YearMonth month, String field) {
        Rules.require(
                month.getYear() >= FIRST_YEAR && month.getYear() <= LAST_YEAR,
                RejectionCode.VALIDATION_FAILED,
                field + " must lie between " + FIRST_YEAR + " and " + LAST_YEAR + ".");
    }

    /** Sent by the ledger itself: releases the months whose claim window has closed unclaimed. */
    public record LapseHousingMonths(
            @TargetAggregateIdentifier ProgramId programId, GrantId grantId) {}
}
