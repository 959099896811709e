package org.subsidyledger.api.http;

import jakarta.servlet.http.HttpServletRequest;

/** What the ledger reads from every request: its idempotency key and correlation id headers, its principal's name. */
public final class Requests {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    /** The principal of a request nobody signed. */
    public static final String ANONYMOUS = "anonymous";

    private Requests() {}

    public static String principalOf(HttpServletRequest request) {
        return request.getUserPrincipal() != null ? request.getUserPrincipal().getName() : ANONYMOUS;
    }
}
