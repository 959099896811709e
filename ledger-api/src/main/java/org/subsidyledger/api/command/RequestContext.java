package org.subsidyledger.api.command;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.subsidyledger.api.http.Requests;
import org.subsidyledger.api.security.LedgerPrincipal;
import org.subsidyledger.core.shared.Text;

/**
 * Who asked, with which idempotency key and correlation id: the metadata every event records (SPEC §3, §9).
 */
public record RequestContext(String principal, String principalProvince, String idempotencyKey, String correlationId) {
    public static RequestContext of(HttpServletRequest request) {
        String correlation = request.getHeader(Requests.CORRELATION_ID);
        if (!Text.isId(correlation)) {
            correlation = UUID.randomUUID().toString();
        }
        String key = request.getHeader(Requests.IDEMPOTENCY_KEY);
        String province =
                LedgerPrincipal.current().map(LedgerPrincipal::province).orElse(null);
        return new RequestContext(Requests.principalOf(request), province, key, correlation);
    }
}
