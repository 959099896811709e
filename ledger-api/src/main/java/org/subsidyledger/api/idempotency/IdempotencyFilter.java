package org.subsidyledger.api.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.erdtman.jcs.JsonCanonicalizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.UrlPathHelper;
import org.subsidyledger.api.http.BodyLimitFilter;
import org.subsidyledger.api.http.ProblemAdvice;
import org.subsidyledger.api.http.Requests;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * {@code Idempotency-Key} on every POST (SPEC §3, §11): the same key with the same body answers the first response
 * again and appends nothing; with another body it is {@code 409 IDEMPOTENCY_CONFLICT}; while the first request still
 * runs, {@code 409 IDEMPOTENCY_IN_PROGRESS}. Keys are scoped to (principal, method, path) and compared on the SHA-256
 * of the body's RFC 8785 canonical JSON, so key order and whitespace do not make a body "other". Outcomes 2xx and
 * 422 are kept for the retention period; any other outcome frees the key for a retry.
 */
@Component
public class IdempotencyFilter extends OncePerRequestFilter {
    /** Request attribute holding the key's scope while the request runs its command under it. */
    static final String SCOPE = IdempotencyFilter.class.getName() + ".scope";

    /** Decodes and normalizes the path, so two spellings of one resource share one key scope. */
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final IdempotencyStore store;
    private final Duration retention;
    private final Duration stale;
    private final String haltAfterCommitKey;
    private final ObjectMapper json = new ObjectMapper();

    public IdempotencyFilter(
            IdempotencyStore store,
            @Value("${ledger.idempotency.retention:30d}") Duration retention,
            @Value("${ledger.idempotency.stale-after:15s}") Duration stale,
            @Value("${ledger.drill.halt-after-commit-key:}") String haltAfterCommitKey) {
        this.store = store;
        this.retention = retention;
        this.stale = stale;
        this.haltAfterCommitKey = haltAfterCommitKey;
    }

    /**
     * The scope of the idempotency key under which the current request runs its command, or null (no key, no HTTP
     * request on this thread, or a request refused before its command).
     */
    public static IdempotencyStore.Scope scopeOfCurrentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null
                ? null
                : (IdempotencyStore.Scope) attributes.getAttribute(SCOPE, RequestAttributes.SCOPE_REQUEST);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(Requests.IDEMPOTENCY_KEY) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(Requests.IDEMPOTENCY_KEY);
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            refuse(
                    request,
                    response,
                    RejectionCode.VALIDATION_FAILED,
                    "Idempotency-Key must be 1-255 visible ASCII characters.");
            return;
        }
        byte[] body = request.getInputStream().readNBytes(BodyLimitFilter.MAX_BODY_BYTES + 1);
        if (body.length > BodyLimitFilter.MAX_BODY_BYTES) {
            refuse(
                    request,
                    response,
                    RejectionCode.VALIDATION_FAILED,
                    "The request body is larger than " + BodyLimitFilter.MAX_BODY_BYTES + " bytes.");
            return;
        }
        String path = PATHS.getPathWithinApplication(request);
        if (path.length() > 1000) {
            refuse(request, response, RejectionCode.VALIDATION_FAILED, "The request path is too long.");
            return;
        }
        byte[] canonical = canonical(body);
        if (canonical == null) {
            // Not JSON: the request is answered 400, which is never kept, and 400 comes before 409 (SPEC §11).
            chain.doFilter(new BodyRequest(request, body), response);
            return;
        }
        IdempotencyStore.Scope scope =
                new IdempotencyStore.Scope(Requests.principalOf(request), request.getMethod(), path, key);
        String digest = sha256(canonical);
        if (!store.claim(scope, digest) && !store.takeOverStale(scope, digest, stale)) {
            IdempotencyStore.Record existing = store.find(scope).orElse(null);
            if (existing == null) {
                // the first request finished with an outcome that is not kept, between our claim and our look
                if (!store.claim(scope, digest)) {
                    refuse(
                            request,
                            response,
                            RejectionCode.IDEMPOTENCY_IN_PROGRESS,
                            "A request with this Idempotency-Key is still being processed.");
                    return;
                }
            } else if (!existing.bodySha256().equals(digest)) {
                refuseAtCommand(
                        request,
                        response,
                        chain,
                        body,
                        RejectionCode.IDEMPOTENCY_CONFLICT,
                        "This Idempotency-Key was used with another request body.");
                return;
            } else if (!existing.completed() && store.committed(scope)) {
                // The command committed but its answer was never stored: the node died between the two, or the
                // first request is still answering. The command is not run again (IdempotentCommandInterceptor
                // finds its commit mark); the request answers the resource's current view and keeps that outcome.
                run(request, response, chain, body, scope);
                return;
            } else if (!existing.completed()) {
                refuseAtCommand(
                        request,
                        response,
                        chain,
                        body,
                        RejectionCode.IDEMPOTENCY_IN_PROGRESS,
                        "A request with this Idempotency-Key is still being processed.");
                return;
            } else {
                replay(existing, response);
                return;
            }
        }
        run(request, response, chain, body, scope);
    }

    /** Runs the request under its claimed key and keeps a 2xx or 422 outcome; any other outcome frees the key. */
    private void run(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            byte[] body,
            IdempotencyStore.Scope scope)
            throws IOException, ServletException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        request.setAttribute(SCOPE, scope);
        try {
            chain.doFilter(new BodyRequest(request, body), captured);
            int status = captured.getStatus();
            haltForDrill(scope, status);
            if ((status >= 200 && status < 300) || status == 422) {
                store.complete(
                        scope,
                        status,
                        captured.getContentType(),
                        captured.getHeader(HttpHeaders.LOCATION),
                        captured.getContentAsByteArray());
                kept = true;
            }
        } finally {
            if (!kept) {
                store.release(scope);
            }
            captured.copyBodyToResponse();
        }
    }

    /**
     * Crash drills only: with {@code ledger.drill.halt-after-commit-key} set to a key, the JVM halts (no shutdown
     * hooks, like {@code kill -9}) when a request under that key has committed its command and before its answer is
     * stored or sent — the window in which a crash used to let a retry run the command again. Unset (the default) it
     * does nothing; it is never set outside a drill (IdempotencyCrashIT).
     */
    private void haltForDrill(IdempotencyStore.Scope scope, int status) {
        if (!haltAfterCommitKey.isEmpty() && haltAfterCommitKey.equals(scope.key()) && status >= 200 && status < 300) {
            System.err.println("ledger.drill.halt-after-commit-key: halting after the commit of " + scope.path());
            Runtime.getRuntime().halt(137);
        }
    }

    /**
     * A 409 that must not be answered before the request's own 400 and 404 (SPEC §11 precedence): the request goes on
     * to its controller, which parses and locates as usual, and {@code LedgerCommands} refuses it with this code at the
     * moment it would send the command. Nothing is claimed or stored for it.
     */
    private static void refuseAtCommand(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            byte[] body,
            RejectionCode code,
            String detail)
            throws IOException, ServletException {
        chain.doFilter(new BodyRequest(request, body, new LedgerRejection(code, detail)), response);
    }

    /** Forgets kept outcomes after the retention period (30 days unless configured). */
    @Scheduled(fixedDelayString = "${ledger.idempotency.purge-interval:1h}", initialDelayString = "1m")
    public void purge() {
        store.purgeOlderThan(retention);
    }

    private static void replay(IdempotencyStore.Record record, HttpServletResponse response) throws IOException {
        response.setStatus(record.status());
        if (record.contentType() != null) {
            response.setContentType(record.contentType());
        }
        if (record.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, record.location());
        }
        response.setHeader("Idempotent-Replay", "true");
        if (record.body() != null) {
            response.getOutputStream().write(record.body());
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, RejectionCode code, String detail)
            throws IOException {
        Map<String, Object> problem =
                ProblemAdvice.problem(code, detail, request).getBody();
        response.setStatus(code.httpStatus());
        response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
        json.writeValue(response.getOutputStream(), problem);
    }

    /** RFC 8785 canonical form of a JSON body, or null when the body is not JSON. */
    private static byte[] canonical(byte[] body) {
        try {
            return new JsonCanonicalizer(new String(body, StandardCharsets.UTF_8)).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request with its body already read, so the controller reads the same bytes. */
    private static final class BodyRequest extends HttpServletRequestWrapper implements PendingRefusal {
        private final byte[] body;
        private final LedgerRejection refusal;

        BodyRequest(HttpServletRequest request, byte[] body) {
            this(request, body, null);
        }

        BodyRequest(HttpServletRequest request, byte[] body, LedgerRejection refusal) {
            super(request);
            this.body = body;
            this.refusal = refusal;
        }

        @Override
        public LedgerRejection refusal() {
            return refusal;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
