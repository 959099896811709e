package org.subsidyledger.api.projection;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.subsidyledger.api.http.ProblemAdvice;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * {@code GET /api/v1/admin/projections}: the event processors of this node with their position, the head of the log
 * and their lag. {@code POST /api/v1/admin/projections/{name}/replay}: rebuild a projection from the log (202 once the
 * replay has started; its progress shows in the list). National admin only (SecurityConfiguration).
 */
@RestController
@RequestMapping(value = Responses.BASE + "/admin/projections", produces = MediaType.APPLICATION_JSON_VALUE)
public class ProjectionController {
    private final Projections projections;

    public ProjectionController(Projections projections) {
        this.projections = projections;
    }

    public record Listing(long head, List<Projections.Status> processors) {}

    @GetMapping
    public Listing list() {
        return new Listing(projections.head(), projections.list());
    }

    @PostMapping("/{name}/replay")
    @Operation(
            summary = "Replay a projection from the start of the log",
            description = "Shuts the named streaming processor down on this node, resets its tokens (its reset handler"
                    + " clears its tables) and starts it again; 202 once started. Refused with 409 for a processor"
                    + " with side effects (kafka-publisher), a subscribing one (ledger-index), or one whose segments"
                    + " another node holds (stop it there first).")
    public ResponseEntity<Projections.Status> replay(@PathVariable String name) {
        return ResponseEntity.accepted().body(projections.replay(name));
    }

    @ExceptionHandler(Projections.Refused.class)
    public ResponseEntity<Map<String, Object>> refused(Projections.Refused refused, HttpServletRequest request) {
        if (refused.status() == 404) {
            return ProblemAdvice.problem(RejectionCode.NOT_FOUND, refused.getMessage(), request);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://subsidy-ledger.org/problems/replay-refused");
        body.put("title", "Replay refused");
        body.put("status", refused.status());
        body.put("detail", refused.getMessage());
        body.put("code", "REPLAY_REFUSED");
        body.put("instance", request.getRequestURI());
        return ResponseEntity.status(refused.status())
                .contentType(ProblemAdvice.PROBLEM_JSON)
                .body(body);
    }
}
