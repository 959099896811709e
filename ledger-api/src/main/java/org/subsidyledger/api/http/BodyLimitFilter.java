package org.subsidyledger.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * No request body may exceed 64 KiB: the largest command is a few hundred bytes, so a larger body is refused
 * ({@code 400 VALIDATION_FAILED}) before anything reads it, whatever its declared length.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BodyLimitFilter extends OncePerRequestFilter {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            response.setStatus(RejectionCode.VALIDATION_FAILED.httpStatus());
            response.setContentType(ProblemAdvice.PROBLEM_JSON.toString());
            json.writeValue(
                    response.getOutputStream(),
                    ProblemAdvice.problem(
                                    RejectionCode.VALIDATION_FAILED,
                                    "The request body is larger than " + MAX_BODY_BYTES + " bytes.",
                                    request)
                            .getBody());
            return;
        }
        chain.doFilter(request, response);
    }
}
