package org.subsidyledger.core.voucher;

import java.math.BigDecimal;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.subsidyledger.core.shared.ApprovableCommand;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Rules;
import org.subsidyledger.core.shared.Text;
import org.subsidyledger.core.shared.VoucherId;

/**
 * Commands on vouchers. A voucher lives inside its program's consistency boundary (the program aggregate), so
 * every command names the program too; the API finds it from the voucher id.
 */
public final class VoucherCommands {
    private VoucherCommands() {}

    public record IssueVoucher(
            @TargetAggregateIdentifier ProgramId programId,
            VoucherId voucherId,
            Beneficiary beneficiary,
            Money faceValue)
            implements ApprovableCommand {
        public IssueVoucher {
            Rules.require(voucherId != null, RejectionCode.VALIDATION_FAILED, "voucherId is required.");
            Rules.require(beneficiary != null, RejectionCode.VALIDATION_FAILED, "beneficiary is required.");
            Rules.require(
                    faceValue != null && faceValue.isPositive(),
                    RejectionCode.VALIDATION_FAILED,
                    "faceValue must be a positive amount.");
        }
    }

    /** What both kinds of redemption share. */
    public sealed interface Redeem permits RedeemCompute, RedeemModelAccess {
        ProgramId programId();

        VoucherId voucherId();

        RedemptionId redemptionId();

        String contractRef();

        String invoiceRef();

        ProviderId providerId();

        Money invoiceAmount();
    }

    public record RedeemCompute(
            @TargetAggregateIdentifier ProgramId programId,
            VoucherId voucherId,
            RedemptionId redemptionId,
            String contractRef,
            String invoiceRef,
            ProviderId providerId,
            Money invoiceAmount,
            BigDecimal gpuHours)
            implements Redeem {
        public RedeemCompute {
            validate(voucherId, redemptionId, contractRef, invoiceRef, providerId, invoiceAmount);
            Rules.require(
                    gpuHours == null
                            || (gpuHours.signum() >= 0
                                    && gpuHours.precision() - gpuHours.scale() <= 12
                                    && gpuHours.scale() <= 4),
                    RejectionCode.VALIDATION_FAILED,
                    "gpuHours must be a non-negative number with at most 12 digits before and 4 after the point.");
        }
    }

    public record RedeemModelAccess(
            @TargetAggregateIdentifier ProgramId programId,
            VoucherId voucherId,
            RedemptionId redemptionId,
            String contractRef,
            String invoiceRef,
            ProviderId providerId,
            FilingNo filingNo,
            Money invoiceAmount,
            ModelUsage usage)
            implements Redeem {
        public RedeemModelAccess {
            validate(voucherId, redemptionId, contractRef, invoiceRef, providerId, invoiceAmount);
            Rules.require(filingNo != null, RejectionCode.VALIDATION_FAILED, "filingNo is required.");
            Rules.require(usage != null, RejectionCode.VALIDATION_FAILED, "usage must be API_ACCESS or LICENSE.");
        }
    }

    public record SettleRedemption(
            @TargetAggregateIdentifier ProgramId programId,
            VoucherId voucherId,
            RedemptionId redemptionId,
            String paymentRef) {
        public SettleRedemption {
            Rules.require(
                    voucherId != null && redemptionId != null,
                    RejectionCode.VALIDATION_FAILED,
                    "voucherId and redemptionId are required.");
            Text.requireText(paymentRef, "paymentRef");
        }
    }

    public record RevokeVoucher(@TargetAggregateIdentifier ProgramId programId, VoucherId voucherId, String reason) {
        public RevokeVoucher {
            Rules.require(voucherId != null, RejectionCode.VALIDATION_FAILED, "voucherId is required.");
            Text.requireText(reason, "reason");
        }
    }

    /** Sent by the ledger itself at or after {@code expiresAt}; does nothing to a voucher that has not expired. */
    public record ExpireVoucher(@TargetAggregateIdentifier ProgramId programId, VoucherId voucherId) {}

    private static void validate(
            VoucherId voucherId,
            RedemptionId redemptionId,
            String contractRef,
            String invoiceRef,
            ProviderId providerId,
            Money invoiceAmount) {
        Rules.require(voucherId != null, RejectionCode.VALIDATION_FAILED, "voucherId is required.");
        Rules.require(redemptionId != null, RejectionCode.VALIDATION_FAILED, "redemptionId is required.");
        Text.requireText(contractRef, "contractRef");
        Text.requireText(invoiceRef, "invoiceRef");
        Rules.require(providerId != null, RejectionCode.VALIDATION_FAILED, "providerId is required.");
        Rules.require(
                invoiceAmount != null && invoiceAmount.isPositive(),
                RejectionCode.VALIDATION_FAILED,
                "invoiceAmount must be a positive amount.");
    }
}
