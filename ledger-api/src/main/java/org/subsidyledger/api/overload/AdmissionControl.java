package org.subsidyledger.api.overload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.subsidyledger.api.http.ProblemAdvice;
import org.subsidyledger.api.http.Responses;
import org.subsidyledger.api.http.Unavailability;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Admission control for commands (issue 11). At most {@code permits} command POSTs run at once; a command that does
 * not get its turn within {@code maxWait} is answered {@code 503 OVERLOADED} with {@code Retry-After} at once, having
 * touched nothing, instead of holding a request thread while it queues for a pooled connection. The permits are sized
 * from the connection pool (its size minus two unless configured), so admitted commands always find a connection
 * within a moment and two stay for seals, event processors and reads. Turns are handed out in arrival order (a fair
 * semaphore), which keeps the slowest admitted request close to the typical one.
 *
 * <p>It also answers {@code 503 OVERLOADED} for any request that fails because a resource was busy or away
 * ({@link Unavailability}) before a controller could answer — the idempotency filter's own database statements, for
 * example — so such a failure is never a 500. It runs after authentication (401 and 403 come first) and before the
 * idempotency filter (a refused request claims no Idempotency-Key).
 *
 * <p>Metrics: {@code ledger.requests.in.flight} (API requests being served), {@code ledger.commands.in.flight}
 * (admitted commands), {@code ledger.requests.rejected} (answered 503 OVERLOADED, tagged {@code reason=admission}
 * when refused here for want of a turn, {@code reason=resources} when a connection, lock or the database failed them).
 */
public class AdmissionControl extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Semaphore turns;
    private final int permits;
    private final Duration maxWait;
    private final Duration requestBudget;
    private final String retryAfterSeconds;
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final AtomicInteger commandsInFlight = new AtomicInteger();
    private final Counter refusedForTurn;
    private final Counter failedForResources;

    /**
     * @param requestBudget the longest a command request may take from its arrival, its turn included: every later
     *                      wait is cut to what is left of it ({@link RequestDeadline})
     */
    public AdmissionControl(
            int permits, Duration maxWait, Duration requestBudget, Duration retryAfter, MeterRegistry meters) {
        if (permits < 1) {
            throw new IllegalArgumentException("ledger.admission.max-concurrent must leave at least one command");
        }
        this.turns = new Semaphore(permits, true);
        this.permits = permits;
        this.maxWait = maxWait;
        this.requestBudget = requestBudget;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
        Gauge.builder("ledger.requests.in.flight", requestsInFlight, AtomicInteger::get)
                .description("API requests being served now")
                .register(meters);
        Gauge.builder("ledger.commands.in.flight", commandsInFlight, AtomicInteger::get)
                .description("Commands admitted and running now (at most ledger.admission.max-concurrent)")
                .register(meters);
        refusedForTurn = Counter.builder("ledger.requests.rejected")
                .tag("reason", "admission")
                .description("Requests answered 503 OVERLOADED")
                .register(meters);
        failedForResources = Counter.builder("ledger.requests.rejected")
                .tag("reason", "resources")
                .description("Requests answered 503 OVERLOADED")
                .register(meters);
    }

    /** How many commands may run at once. */
    public int permits() {
        return permits;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(Responses.BASE + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean command = "POST".equals(request.getMethod());
        long arrivedAt = System.nanoTime();
        requestsInFlight.incrementAndGet();
        try {
            if (command && !takeTurn()) {
                refusedForTurn.increment();
                overloaded(request, response, "The ledger is at its limit of concurrent commands; retry shortly.");
                return;
            }
            if (command) {
                commandsInFlight.incrementAndGet();
                RequestDeadline.start(arrivedAt, requestBudget);
            }
            try {
                chain.doFilter(request, response);
            } catch (IOException | ServletException | RuntimeException e) {
                if (!Unavailability.isUnavailable(e) || response.isCommitted()) {
                    throw e;
                }
                log.debug("{} {} failed for want of a resource", request.getMethod(), request.getRequestURI(), e);
                response.resetBuffer();
                overloaded(request, response, "The ledger is busy; retry the request shortly.");
            } finally {
                if (command) {
                    RequestDeadline.clear();
                    commandsInFlight.decrementAndGet();
                    turns.release();
                }
            }
            if (response.getStatus() == 503) {
                failedForResources.increment();
            }
        } finally {
            requestsInFlight.decrementAndGet();
        }
    }

    private boolean takeTurn() {
        try {
            return turns.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void overloaded(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        Map<String, Object> problem =
                ProblemAdvice.problem(RejectionCode.OVERLOADED, detail, request).getBody();
        response.setStatus(RejectionCode.OVERLOADED.httpStatus());
        response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
        response.setHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
