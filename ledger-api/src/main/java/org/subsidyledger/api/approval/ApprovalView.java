package org.subsidyledger.api.approval;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.core.shared.Money;

/**
 * An approval request as the API shows it (SPEC §3, §5): who made it and when, what it would do, its status and, once
 * decided, who decided and when. {@code ageSeconds} is how long a pending or expired request has waited;
 * {@code result} is where an approved request's outcome is read (the voucher, the grant or the program).
 */
public record ApprovalView(
        String requestId,
        String status,
        String action,
        String programId,
        String province,
        Money amount,
        Money threshold,
        String maker,
        String checker,
        String reason,
        Instant requestedAt,
        Instant expiresAt,
        Instant decidedAt,
        Long ageSeconds,
        JsonNode command,
        String result) {

    static ApprovalView of(ApprovalIndex.Row row, Instant now) {
        boolean open = row.status() == ApprovalIndex.Status.PENDING || row.status() == ApprovalIndex.Status.EXPIRED;
        return new ApprovalView(
                row.requestId().value(),
                row.status().name(),
                row.action(),
                row.programId().value(),
                row.province(),
                row.amount(),
                row.threshold(),
                row.maker(),
                row.checker(),
                row.reason(),
                row.requestedAt(),
                row.expiresAt(),
                row.decidedAt(),
                open ? Math.max(0, Duration.between(row.requestedAt(), now).toSeconds()) : null,
                row.command(),
                row.status() == ApprovalIndex.Status.APPROVED ? Responses.BASE + resultPath(row) : null);
    }

    /** Where the outcome of an approved request is read. */
    private static String resultPath(ApprovalIndex.Row row) {
        return switch (row.action()) {
            case "IssueVoucher" ->
                "/vouchers/" + row.command().path("voucherId").asText();
            case "GrantHousingSubsidy" ->
                "/housing-grants/" + row.command().path("grantId").asText();
            default -> "/programs/" + row.programId().value();
        };
    }
}
