package org.subsidyledger.api.command;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.web.util.WebUtils;
import org.subsidyledger.api.http.Requests;
import org.subsidyledger.api.idempotency.PendingRefusal;
import org.subsidyledger.api.security.LedgerPrincipal;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.Text;

/**
 * Who asked, with which idempotency key and correlation id: the metadata every event records (SPEC §3, §9). A request
 * the idempotency filter refuses only once it is about to change something carries that refusal here
 * ({@code pendingRefusal}), and {@link LedgerCommands} answers it instead of sending the command.
 */
public record RequestContext(
        String principal,
        String principalProvince,
        String idempotencyKey,
        String correlationId,
        LedgerRejection pendingRefusal) {

    /** An origin with nothing pending: the sweeps, the demo loader. */
    public RequestContext(String principal, String principalProvince, String idempotencyKey, String correlationId) {
        this(principal, principalProvince, idempotencyKey, correlationId, null);
    }

    public static RequestContext of(HttpServletRequest request) {
        String correlation = request.getHeader(Requests.CORRELATION_ID);
        if (!Text.isId(correlation)) {
            correlation = UUID.randomUUID().toString();
        }
        String key = request.getHeader(Requests.IDEMPOTENCY_KEY);
        String province =
                LedgerPrincipal.current().map(LedgerPrincipal::province).orElse(null);
        PendingRefusal pending = WebUtils.getNativeRequest(request, PendingRefusal.class);
        return new RequestContext(
                Requests.principalOf(request), province, key, correlation, pending == null ? null : pending.refusal());
    }
}
