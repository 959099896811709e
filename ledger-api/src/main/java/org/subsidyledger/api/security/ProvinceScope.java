package org.subsidyledger.api.security;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.subsidyledger.api.store.JdbcLedgerIndex;
import org.subsidyledger.core.shared.GrantId;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.VoucherId;

/**
 * A province officer acts for one province (SPEC §9, §11): a request body naming another province is
 * {@code 403 FORBIDDEN}; another province's existing programs, vouchers and grants answer {@code 404 NOT_FOUND}, exactly
 * as a resource that does not exist, so existence is not revealed.
 */
@Component
public class ProvinceScope {
    private final JdbcLedgerIndex index;

    public ProvinceScope(JdbcLedgerIndex index) {
        this.index = index;
    }

    /** A body names a province the caller must act for. */
    public void requireOwnProvince(String province) {
        LedgerPrincipal.current().filter(p -> !p.covers(province)).ifPresent(p -> {
            throw new LedgerRejection(
                    RejectionCode.FORBIDDEN,
                    "A province officer of " + p.province() + " cannot act for " + province + ".");
        });
    }

    /** A program (and so its vouchers and grants) must be of the caller's province, else it is not found. */
    public void requireVisible(ProgramId programId, String what) {
        LedgerPrincipal principal = LedgerPrincipal.current().orElse(null);
        if (principal == null || !principal.isOfficer()) {
            return;
        }
        String province = index.provinceOfProgram(programId).orElse(null);
        if (province != null && !principal.covers(province)) {
            throw new LedgerRejection(RejectionCode.NOT_FOUND, what + " was not found.");
        }
    }

    /** The program of a voucher the caller may see; NOT_FOUND for an unknown voucher or another province's. */
    public ProgramId programOfVoucher(VoucherId voucherId) {
        return visible(index.programOfVoucher(voucherId), "Voucher " + voucherId);
    }

    /** The program of a housing grant the caller may see; NOT_FOUND for an unknown grant or another province's. */
    public ProgramId programOfGrant(GrantId grantId) {
        return visible(index.programOfGrant(grantId), "Housing grant " + grantId);
    }

    private ProgramId visible(Optional<ProgramId> program, String what) {
        ProgramId programId =
                program.orElseThrow(() -> new LedgerRejection(RejectionCode.NOT_FOUND, what + " was not found."));
        requireVisible(programId, what);
        return programId;
    }

    /**
     * The province a listing filtered by {@code province} (a code, or null for all) may show the caller: an officer
     * sees their own province only, and naming another one is not found; anyone else sees what they named.
     */
    public static String listedProvince(String province) {
        LedgerPrincipal officer =
                LedgerPrincipal.current().filter(LedgerPrincipal::isOfficer).orElse(null);
        if (officer == null) {
            return province;
        }
        if (province != null) {
            requireVisibleProvinceOf(province);
        }
        return officer.province();
    }

    /** A province's read side must be the caller's, else it is not found. */
    public static void requireVisibleProvinceOf(String province) {
        LedgerPrincipal.current().filter(p -> !p.covers(province)).ifPresent(p -> {
            throw new LedgerRejection(RejectionCode.NOT_FOUND, "Province " + province + " was not found.");
        });
    }
}
