package org.subsidyledger.core.shared;

/**
 * A command that commits or moves public money on a program and so may need a second person's approval (four eyes):
 * issuing a voucher, granting a housing subsidy, appropriating or rescinding funds. At or above the program's
 * {@code approvalThreshold} it is not carried out at once but becomes an approval request.
 */
public interface ApprovableCommand {
    ProgramId programId();

    /** The command's name as SPEC §3 gives it ({@code IssueVoucher}, {@code AppropriateFunds} …). */
    default String action() {
        return getClass().getSimpleName();
    }
}
