package org.subsidyledger.api.voucher;

import java.math.BigDecimal;
import org.subsidyledger.api.command.Ids;
import org.subsidyledger.api.http.Enums;
import org.subsidyledger.api.http.MoneyJson;
import org.subsidyledger.api.http.StrictJson;
import org.subsidyledger.api.http.StrictRequest;
import org.subsidyledger.core.shared.FilingNo;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.ModelUsage;
import org.subsidyledger.core.voucher.VoucherCommands.IssueVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemCompute;
import org.subsidyledger.core.voucher.VoucherCommands.RedeemModelAccess;
import org.subsidyledger.core.voucher.VoucherCommands.RevokeVoucher;
import org.subsidyledger.core.voucher.VoucherCommands.SettleRedemption;

/** The JSON bodies of the voucher commands (SPEC §3). */
final class VoucherRequests {
    private VoucherRequests() {}

    record BeneficiaryJson(String id, String name, String sector, String group) {
        Beneficiary toBeneficiary() {
            return new Beneficiary(id, name, sector, group);
        }
    }

    record Issue(String voucherId, BeneficiaryJson beneficiary, MoneyJson faceValue) implements StrictRequest {
        IssueVoucher toCommand(ProgramId programId) {
            if (beneficiary == null) {
                throw StrictJson.invalid("beneficiary is required.");
            }
            return new IssueVoucher(
                    programId,
                    Ids.suppliedOrNew(voucherId, VoucherId::of),
                    beneficiary.toBeneficiary(),
                    MoneyJson.required(faceValue, "faceValue"));
        }
    }

    record ComputeRedemption(
            String redemptionId,
            String contractRef,
            String invoiceRef,
            String providerId,
            MoneyJson invoiceAmount,
            BigDecimal gpuHours)
            implements StrictRequest {
        RedeemCompute toCommand(ProgramId programId, VoucherId voucherId) {
            return new RedeemCompute(
                    programId,
                    voucherId,
                    Ids.suppliedOrNew(redemptionId, RedemptionId::of),
                    contractRef,
                    invoiceRef,
                    ProviderId.of(providerId),
                    MoneyJson.required(invoiceAmount, "invoiceAmount"),
                    gpuHours);
        }
    }

    record ModelRedemption(
            String redemptionId,
            String contractRef,
            String invoiceRef,
            String providerId,
            String filingNo,
            MoneyJson invoiceAmount,
            String usage)
            implements StrictRequest {
        RedeemModelAccess toCommand(ProgramId programId, VoucherId voucherId) {
            return new RedeemModelAccess(
                    programId,
                    voucherId,
                    Ids.suppliedOrNew(redemptionId, RedemptionId::of),
                    contractRef,
                    invoiceRef,
                    ProviderId.of(providerId),
                    FilingNo.of(filingNo),
                    MoneyJson.required(invoiceAmount, "invoiceAmount"),
                    Enums.parse(ModelUsage.class, usage, "usage"));
        }
    }

    record Settlement(String paymentRef) implements StrictRequest {
        SettleRedemption toCommand(ProgramId programId, VoucherId voucherId, RedemptionId redemptionId) {
            return new SettleRedemption(programId, voucherId, redemptionId, paymentRef);
        }
    }

    record Revocation(String reason) implements StrictRequest {
        RevokeVoucher toCommand(ProgramId programId, VoucherId voucherId) {
            return new RevokeVoucher(programId, voucherId, reason);
        }
    }
}
