package org.subsidyledger.api.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Every refusal as {@code application/problem+json} (RFC 9457) with SPEC §3's machine-readable {@code code}. Nothing
 * about the inside of the ledger (stack traces, SQL, class names) ever reaches the response.
 */
@RestControllerAdvice
public class ProblemAdvice {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final String TYPE_BASE = "https://subsidy-ledger.org/problems/";
    /** Seconds a client answered {@code 503 OVERLOADED} waits before it sends the same request again. */
    public static final String RETRY_AFTER_SECONDS = "1";

    @ExceptionHandler(LedgerRejection.class)
    public ResponseEntity<Map<String, Object>> rejected(LedgerRejection rejection, HttpServletRequest request) {
        return problem(rejection.code(), rejection.getMessage(), request);
    }

    @ExceptionHandler(Overloaded.class)
    public ResponseEntity<Map<String, Object>> overloaded(Overloaded e, HttpServletRequest request) {
        ResponseEntity<Map<String, Object>> problem = problem(RejectionCode.OVERLOADED, e.getMessage(), request);
        return ResponseEntity.status(problem.getStatusCode())
                .headers(problem.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem.getBody());
    }

    @ExceptionHandler({
        MethodArgumentTypeMismatchException.class,
        MissingRequestHeaderException.class,
        HttpMediaTypeNotSupportedException.class,
        MaxUploadSizeExceededException.class,
        HttpMessageNotReadableException.class,
        MissingServletRequestParameterException.class
    })
    public ResponseEntity<Map<String, Object>> badRequest(Exception e, HttpServletRequest request) {
        return problem(RejectionCode.VALIDATION_FAILED, "The request is malformed.", request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Map<String, Object>> noSuchPath(NoResourceFoundException e, HttpServletRequest request) {
        return problem(RejectionCode.NOT_FOUND, "There is no such resource.", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> method(
            HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        Map<String, Object> body = body(
                RejectionCode.VALIDATION_FAILED,
                HttpStatus.METHOD_NOT_ALLOWED.value(),
                "Method " + e.getMethod() + " is not allowed here.",
                request);
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .contentType(PROBLEM_JSON)
                .body(body);
    }

    /** A defect, not a refusal: logged in full here, answered without detail. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception e, HttpServletRequest request) {
        if (Unavailability.isUnavailable(e)) {
            // Not a defect: no connection, lock or database in time (a read, or a command outside LedgerCommands).
            return overloaded(new Overloaded(), request);
        }
        log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ResponseEntity.status(500).contentType(PROBLEM_JSON).body(defect(500));
    }

    /** The problem body of a defect: no SPEC code and nothing of what failed. */
    public static Map<String, Object> defect(int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Internal error");
        body.put("status", status);
        body.put("detail", "The ledger could not complete the request; nothing was appended.");
        return body;
    }

    public static ResponseEntity<Map<String, Object>> problem(
            RejectionCode code, String detail, HttpServletRequest request) {
        HttpStatus status = HttpStatus.valueOf(code.httpStatus());
        return ResponseEntity.status(status)
                .contentType(PROBLEM_JSON)
                .body(body(code, status.value(), detail, request));
    }

    /** The problem body of {@code code}, answered with {@code status} (the code's own, or a more precise 4xx). */
    public static Map<String, Object> body(RejectionCode code, int status, String detail, HttpServletRequest request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code.name().toLowerCase().replace('_', '-'));
        body.put("title", title(code));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code.name());
        body.put("instance", request.getRequestURI());
        return body;
    }

    private static String title(RejectionCode code) {
        String words = code.name().toLowerCase().replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
