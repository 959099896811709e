package org.subsidyledger.core.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.axonframework.serialization.Revision;
import org.subsidyledger.core.housing.HousingSettings;
import org.subsidyledger.core.shared.CurrencyCode;
import org.subsidyledger.core.shared.Jurisdiction;
import org.subsidyledger.core.shared.Money;
import org.subsidyledger.core.shared.ProgramHeader;
import org.subsidyledger.core.shared.ProgramId;
import org.subsidyledger.core.shared.ProgramKind;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.shared.ProgramStreamEvent;
import org.subsidyledger.core.voucher.VoucherSettings;

/** Public events of a program's own life and of its appropriation (SPEC §3). */
public sealed interface ProgramEvent extends ProgramStreamEvent {

    /**
     * Revision 2 added the optional {@code approvalThreshold} to the rules; a revision-1 entry (without it) reads as a
     * program without a threshold of its own.
     */
    @Revision("2")
    record ProgramLaunched(
            ProgramId programId,
            String name,
            ProgramKind programKind,
            String province,
            String city,
            CurrencyCode currency,

            @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
            @JsonSubTypes({@JsonSubTypes.Type(VoucherSettings.class), @JsonSubTypes.Type(HousingSettings.class)})
            ProgramSettings rules)
            implements ProgramEvent {

        /** What every later event of this program's stream says about it. */
        public ProgramHeader header() {
            return new ProgramHeader(programId, Jurisdiction.parse(province), city, programKind, currency);
        }
    }

    /** {@code fiscalYear}: the fiscal year of the jurisdiction in which the funds were appropriated. */
    @Revision("1")
    record FundsAppropriated(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            Money amount,
            String reference,
            int fiscalYear)
            implements ProgramEvent {
        /** Built from its program's header. */
        public FundsAppropriated(ProgramHeader program, Money amount, String reference, int fiscalYear) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    amount,
                    reference,
                    fiscalYear);
        }
    }

    @Revision("1")
    record FundsRescinded(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            Money amount,
            String reason,
            int fiscalYear)
            implements ProgramEvent {
        /** Built from its program's header. */
        public FundsRescinded(ProgramHeader program, Money amount, String reason, int fiscalYear) {
            this(
                    program.programId(),
                    program.province(),
                    program.city(),
                    program.kind(),
                    program.currency(),
                    amount,
                    reason,
                    fiscalYear);
        }
    }

    @Revision("1")
    record ProgramClosed(
            ProgramId programId,
            String province,
            String city,
            ProgramKind programKind,
            CurrencyCode currency,
            String reason)
            implements ProgramEvent {
        /** Built from its program's header. */
        public ProgramClosed(ProgramHeader program, String reason) {
            this(program.programId(), program.province(), program.city(), program.kind(), program.currency(), reason);
        }
    }
}
