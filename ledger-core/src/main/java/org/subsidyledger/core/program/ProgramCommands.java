package org.subsidyledger.core.program;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.core.voucher.VoucherSettings;

/** Commands that set up a program and move its appropriation. */
public final class ProgramCommands {
    private ProgramCommands() {}

    /** {@code city} is free text (a city, district or zone such as Lin-gang) and optional. */
    public record LaunchProgram(
            @TargetAggregateIdentifier ProgramId programId,
            String name,
            ProgramKind kind,
            String province,
            String city,
            CurrencyCode currency,
            ProgramSettings rules) {
        public LaunchProgram {
            Rules.require(programId != null, RejectionCode.VALIDATION_FAILED, "programId is required.");
            Text.requireText(name, "name");
            Rules.require(
                    kind != null,
                    RejectionCode.VALIDATION_FAILED,
                    "kind must be COMPUTE_VOUCHER, MODEL_VOUCHER or HOUSING_SUBSIDY.");
            Jurisdiction.parse(province);
            Text.optionalText(city, "city");
            Rules.require(currency != null, RejectionCode.VALIDATION_FAILED, "currency must be CNY or USD.");
            Rules.require(rules != null, RejectionCode.VALIDATION_FAILED, "rules are required.");
            boolean fits = kind.isVoucher() ? rules instanceof VoucherSettings : rules instanceof HousingSettings;
            Rules.require(fits, RejectionCode.VALIDATION_FAILED, "rules do not fit a " + kind + " program.");
        }
    }

    public record AppropriateFunds(
            @TargetAggregateIdentifier ProgramId programId, Money amount, String reference)
            implements ApprovableCommand {
        public AppropriateFunds {
            Rules.require(
                    amount != null && amount.isPositive(),
                    RejectionCode.VALIDATION_FAILED,
                    "amount must be a positive amount.");
            Text.requireText(reference, "reference");
        }
    }

    public record RescindFunds(@TargetAggregateIdentifier ProgramId programId, Money amount, String reason)
            implements ApprovableCommand {
        public RescindFunds {
            Rules.require(
                    amount != null && amount.isPositive(),
                    RejectionCode.VALIDATION_FAILED,
                    "amount must be a positive amount.");
            Text.requireText(reason, "reason");
        }
    }

    /** No new vouchers, grants or appropriations after closure; what exists runs on. */
    public record CloseProgram(@TargetAggregateIdentifier ProgramId programId, String reason) {
        public CloseProgram {
            Text.requireText(reason, "reason");
        }
    }
}
