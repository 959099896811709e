package org.subsidyledger.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Limits the rate of failed logins: after {@code ledger.security.max-failed-logins} failures for one user name within
 * {@code ledger.security.lockout}, that name is refused (401) without checking its password until the period has
 * passed — a password cannot be guessed at the speed of the network.
 */
@Component
public class LoginThrottle extends OncePerRequestFilter {
    private final int maxFailures;
    private final Duration lockout;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    public LoginThrottle(
            @Value("${ledger.security.max-failed-logins:10}") int maxFailures,
            @Value("${ledger.security.lockout:5m}") Duration lockout,
            Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    private record Failures(int count, Instant since) {}

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = basicUser(request.getHeader("Authorization"));
        if (user != null && locked(user)) {
            response.setHeader("Retry-After", String.valueOf(lockout.toSeconds()));
            ProblemResponses.write(
                    request,
                    response,
                    RejectionCode.UNAUTHENTICATED,
                    "Too many failed logins for this user; try again later.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** Whether a user name is refused for now (also asked by the dashboard's form login). */
    public boolean locked(String user) {
        Failures f = failures.get(user);
        if (f == null) {
            return false;
        }
        if (clock.instant().isAfter(f.since().plus(lockout))) {
            failures.remove(user, f);
            return false;
        }
        return f.count() >= maxFailures;
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        String user = String.valueOf(event.getAuthentication().getName());
        Instant now = clock.instant();
        failures.merge(
                user,
                new Failures(1, now),
                (old, one) ->
                        now.isAfter(old.since().plus(lockout)) ? one : new Failures(old.count() + 1, old.since()));
        if (failures.size() > 100_000) {
            failures.clear(); // bounded memory under a spray of user names
        }
    }

    @EventListener
    public void onSuccess(AuthenticationSuccessEvent event) {
        failures.remove(event.getAuthentication().getName());
    }

    private static String basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Registered in the security chain only (not as a servlet filter of its own). */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }
}
