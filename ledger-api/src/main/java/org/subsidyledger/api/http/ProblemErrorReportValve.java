package org.subsidyledger.api.http;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Requests that Tomcat itself refuses before the application sees them (an encoded NUL or slash in the path, say)
 * are answered as problem+json too, never with Tomcat's HTML page and never with internal detail.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String code = status == 404 ? "NOT_FOUND" : status >= 500 ? null : "VALIDATION_FAILED";
        String body = "{\"type\":\""
                + (code == null
                        ? "about:blank"
                        : "https://subsidy-ledger.org/problems/"
                                + code.toLowerCase().replace('_', '-'))
                + "\",\"title\":\""
                + (code == null ? "Internal error" : status == 404 ? "Not found" : "Validation failed")
                + "\",\"status\":" + status
                + ",\"detail\":\""
                + (code == null
                        ? "The ledger could not complete the request; nothing was appended."
                        : "The request was refused before it reached the ledger (malformed path or header).")
                + "\""
                + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away; nothing more to say
        }
    }
}
