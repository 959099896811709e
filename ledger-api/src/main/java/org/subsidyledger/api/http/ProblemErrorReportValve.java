package org.subsidyledger.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Engine;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpHeaders;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Requests that Tomcat itself refuses before the application sees them (an encoded NUL or slash in the path, say)
 * are answered as problem+json too, never with Tomcat's HTML page and never with internal detail.
 *
 * <p>While the node shuts down, Tomcat refuses requests that are already on their way in ways that say nothing of
 * the request: a context being stopped maps nothing (404), a session lookup on it fails (400), a servlet being
 * unloaded is unavailable (503). None of them is the client's fault, and a 404 or 400 would tell the client not to
 * send the command again. So every refusal that reaches this valve while the server is stopping, and every 503 of
 * Tomcat's own, is answered {@code 503 OVERLOADED} with {@code Retry-After}: nothing was appended, and the same request
 * may be sent again, to this node once it is back or to another.
 */
public class ProblemErrorReportValve extends ErrorReportValve {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 503 || stopping(request)) {
            status = 503;
            response.setStatus(status);
            response.setHeader(HttpHeaders.RETRY_AFTER, ProblemAdvice.RETRY_AFTER_SECONDS);
        }
        RejectionCode code = status == 503
                ? RejectionCode.OVERLOADED
                : status == 404 ? RejectionCode.NOT_FOUND : status >= 500 ? null : RejectionCode.VALIDATION_FAILED;
        Map<String, Object> problem = code == null
                ? ProblemAdvice.defect(status)
                : ProblemAdvice.body(
                        code,
                        status,
                        code == RejectionCode.OVERLOADED
                                ? "The ledger is stopping or not ready; nothing was appended. Retry the request shortly."
                                : "The request was refused before it reached the ledger (malformed path or header).",
                        request);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing more to say
        }
    }

    /** Whether the server this valve's host belongs to, or the context the request was mapped to, is stopping. */
    private boolean stopping(Request request) {
        Context context = request.getContext();
        if (context != null && ending(context.getState())) {
            return true;
        }
        Container host = getContainer();
        if (host == null) {
            return false;
        }
        if (ending(host.getState())) {
            return true;
        }
        return host.getParent() instanceof Engine engine
                && (ending(engine.getState())
                        || (engine.getService() != null
                                && ending(engine.getService().getState())));
    }

    private static boolean ending(LifecycleState state) {
        return state == LifecycleState.STOPPING_PREP
                || state == LifecycleState.STOPPING
                || state == LifecycleState.STOPPED
                || state == LifecycleState.DESTROYING
                || state == LifecycleState.DESTROYED;
    }
}
