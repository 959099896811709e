package org.subsidyledger.api.program;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.subsidyledger.api.http.FiguresView;
import org.subsidyledger.core.program.Program;
import org.subsidyledger.core.program.approval.ApprovalBook;
import org.subsidyledger.core.shared.LedgerClock;
import org.subsidyledger.core.shared.ProgramSettings;
import org.subsidyledger.core.voucher.VoucherStatus;

/** A program: its definition, SPEC §4's figures and how many vouchers and grants it has, by status, and how many
 * approval requests wait for a decision. */
public record ProgramView(
        String programId,
        String name,
        String kind,
        String province,
        String city,
        String currency,
        ProgramSettings rules,
        String status,
        FiguresView figures,
        Map<String, Long> vouchers,
        Map<String, Long> housingGrants,
        @JsonIgnore List<Instant> undecidedApprovalExpiries) {

    /** Approval requests waiting for a checker now: counted at each read, so a remembered view stays true. */
    @JsonProperty("pendingApprovals")
    public int pendingApprovals() {
        return ApprovalBook.waitingAt(undecidedApprovalExpiries, LedgerClock.now());
    }

    public static ProgramView of(Program program) {
        Map<String, Long> vouchers = new TreeMap<>(program.vouchers().stream()
                .collect(Collectors.groupingBy(v -> v.status().name(), Collectors.counting())));
        for (VoucherStatus status : VoucherStatus.values()) {
            vouchers.putIfAbsent(status.name(), 0L);
        }
        Map<String, Long> grants = new TreeMap<>(program.grants().stream()
                .collect(
                        Collectors.groupingBy(g -> g.isTerminated() ? "TERMINATED" : "ACTIVE", Collectors.counting())));
        grants.putIfAbsent("ACTIVE", 0L);
        grants.putIfAbsent("TERMINATED", 0L);
        return new ProgramView(
                program.programId().value(),
                program.name(),
                program.header().kind().name(),
                program.header().jurisdiction().code(),
                program.header().city(),
                program.header().currency().name(),
                program.settings(),
                program.isClosed() ? "CLOSED" : "ACTIVE",
                FiguresView.of(program.figures()),
                vouchers,
                grants,
                program.undecidedApprovalExpiries());
    }
}
