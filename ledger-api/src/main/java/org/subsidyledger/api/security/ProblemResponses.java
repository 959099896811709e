package org.subsidyledger.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.subsidyledger.api.http.ProblemAdvice;
import org.subsidyledger.core.shared.RejectionCode;

/** 401 and 403 as problem+json with SPEC's codes, like every other refusal. */
final class ProblemResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {}

    static AuthenticationEntryPoint unauthenticated(boolean basic) {
        return (request, response, exception) -> {
            if (basic) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"subsidy-ledger\"");
            } else {
                response.setHeader("WWW-Authenticate", "Bearer");
            }
            write(request, response, RejectionCode.UNAUTHENTICATED, "Authentication is required.");
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, exception) ->
                write(request, response, RejectionCode.FORBIDDEN, "Your role does not allow this.");
    }

    static void write(HttpServletRequest request, HttpServletResponse response, RejectionCode code, String detail)
            throws IOException {
        response.setStatus(code.httpStatus());
        response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
        JSON.writeValue(
                response.getOutputStream(),
                ProblemAdvice.problem(code, detail, request).getBody());
    }
}
