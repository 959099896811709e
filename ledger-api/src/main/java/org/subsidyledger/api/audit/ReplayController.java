package org.subsidyledger.api.audit;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.StrictJson;
import org.subsidyledger.api.http.StrictRequest;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;
import org.subsidyledger.core.shared.Text;

/**
 * {@code POST /audit/replays} (SPEC §8): rebuild the read side from the log into a scratch space and report how it
 * differs from the live one. Auditors and national administrators only (SecurityConfiguration maps /audit/**). One
 * replay at a time per node: a second one while the first runs is 503 OVERLOADED, to be retried.
 */
@RestController
@RequestMapping(value = Responses.BASE, produces = MediaType.APPLICATION_JSON_VALUE)
public class ReplayController {
    private final ProjectionReplay replay;
    private final Clock clock;
    private final ReentrantLock running = new ReentrantLock();

    public ReplayController(ProjectionReplay replay, Clock clock) {
        this.replay = replay;
        this.clock = clock;
    }

    /** The request: {@code asOf} optional, an ISO-8601 instant not in the future. */
    public record ReplayRequest(String asOf) implements StrictRequest {}

    @PostMapping("/audit/replays")
    @Operation(summary = "Replay the log into a scratch space and compare with the live read side")
    public ResponseEntity<ProjectionReplay.Report> replay(@RequestBody(required = false) ReplayRequest body) {
        Instant asOf = body == null ? null : asOf(body);
        if (!running.tryLock()) {
            throw new LedgerRejection(
                    RejectionCode.OVERLOADED,
                    "A replay is already running on this node; retry" + " when it has finished.");
        }
        try {
            return ResponseEntity.ok(replay.replay(asOf));
        } finally {
            running.unlock();
        }
    }

    private Instant asOf(ReplayRequest request) {
        if (request.asOf() == null) {
            return null;
        }
        Instant asOf;
        try {
            asOf = Instant.parse(request.asOf());
        } catch (DateTimeParseException e) {
            throw StrictJson.invalid("asOf '" + Text.shown(request.asOf())
                    + "' is not an ISO-8601 instant such as 2026-11-28T00:00:00Z.");
        }
        if (asOf.isAfter(clock.instant())) {
            throw StrictJson.invalid("asOf " + asOf + " lies in the future.");
        }
        return asOf;
    }
}
