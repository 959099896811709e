package org.subsidyledger.api.voucher;

import java.time.Instant;
import java.util.List;
import org.subsidyledger.api.history.EventHistory;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProviderId;
import org.subsidyledger.core.shared.RedemptionId;
import org.subsidyledger.core.shared.VoucherId;
import org.subsidyledger.core.voucher.Beneficiary;
import org.subsidyledger.core.voucher.Voucher;

/**
 * A voucher (SPEC §5): status, face value, what was redeemed, what remains and what was released, its redemptions
 * and its history (every event of it, in order). After expiry or revocation {@code remaining} is zero and
 * {@code released} shows what went back.
 */
public record VoucherView(
        String voucherId,
        String programId,
        String province,
        String city,
        String kind,
        String status,
        Beneficiary beneficiary,
        String corporateGroup,
        Money faceValue,
        Money redeemed,
        Money remaining,
        Money released,
        String coverageRatio,
        Instant expiresAt,
        List<RedemptionView> redemptions,
        List<EventHistory.Entry> history) {

    public record RedemptionView(RedemptionId redemptionId, ProviderId providerId, Money subsidy, String status) {}

    public static VoucherView of(Program program, VoucherId voucherId, List<EventHistory.Entry> history) {
        Voucher v = program.findVoucher(voucherId).orElseThrow();
        List<RedemptionView> redemptions = v.redemptions().entrySet().stream()
                .map(e -> new RedemptionView(
                        e.getKey(),
                        e.getValue().providerId(),
                        e.getValue().subsidy(),
                        e.getValue().settled() ? "PAID" : "PAYABLE"))
                .toList();
        return new VoucherView(
                voucherId.value(),
                program.programId().value(),
                program.header().jurisdiction().code(),
                program.header().city(),
                v.kind().name(),
                v.status().name(),
                v.beneficiary(),
                v.corporateGroup(),
                v.faceValue(),
                v.redeemed(),
                v.remaining(),
                v.released(),
                v.coverageRatio().text(),
                v.expiresAt(),
                redemptions,
                history);
    }

    /** The same view with another history slice. */
    public VoucherView withHistory(List<EventHistory.Entry> entries) {
        return new VoucherView(
                voucherId,
                programId,
                province,
                city,
                kind,
                status,
                beneficiary,
                corporateGroup,
                faceValue,
                redeemed,
                remaining,
                released,
                coverageRatio,
                expiresAt,
                redemptions,
                entries);
    }
}
