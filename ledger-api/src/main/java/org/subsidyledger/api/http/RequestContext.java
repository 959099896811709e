package org.subsidyledger.api.http;

import jakarta.servlet.http.HttpServletRequest;
import org.subsidyledger.core.shared.Text;

import java.util.UUID;

/**
 * Who asked, with which idempotency key and correlation id: the metadata every event records (SPEC §3, §9).
 */
public record RequestContext(String principal, String principalProvince, String idempotencyKey, String correlationId) {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    public static final String ANONYMOUS = "anonymous";

    public static RequestContext of(HttpServletRequest request) {
        String correlation = request.getHeader(CORRELATION_ID);
        if (!Text.isId(correlation)) {
            correlation = UUID.randomUUID().toString();
        }
        String key = request.getHeader(IDEMPOTENCY_KEY);
        String province = org.subsidyledger.api.security.LedgerPrincipal.current()
                .map(org.subsidyledger.api.security.LedgerPrincipal::province).orElse(null);
        return new RequestContext(principalOf(request), province, key, correlation);
    }

    static String principalOf(HttpServletRequest request) {
        return request.getUserPrincipal() != null ? request.getUserPrincipal().getName() : ANONYMOUS;
    }
}
