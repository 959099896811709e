package org.subsidyledger.drills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** JSON over HTTP to one ledger process, with a bearer token; an I/O failure or a timeout is thrown to the caller. */
final class LedgerClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The longest a client waits for one answer before it counts the request as unanswered and retries it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String authorization;

    LedgerClient(String authorization) {
        this.authorization = authorization;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** An answer: status, the Retry-After header if any, the body. */
    record Answer(int status, Optional<String> retryAfter, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** SPEC's problem code of a refusal, or "" for an answer without one. */
        String code() {
            try {
                JsonNode node = JSON.readTree(body);
                return node == null ? "" : node.path("code").asText("");
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 400 ? body.substring(0, 400) + "…" : body);
        }
    }

    Answer post(URI base, String path, String json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    Answer get(URI base, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.timeout(REQUEST_TIMEOUT)
                        .header("Authorization", authorization)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Retry-After"), response.body());
    }

    /** A request that must succeed (set-up, checks): any other answer or an I/O failure fails the drill. */
    JsonNode expect(URI base, String method, String path, String json, int... statuses) {
        try {
            Answer answer =
                    method.equals("GET") ? get(base, path) : post(base, path, json, "setup-" + UUID.randomUUID());
            for (int status : statuses) {
                if (answer.status() == status) {
                    return answer.body().isEmpty() ? JSON.nullNode() : answer.json();
                }
            }
            throw new AssertionError(method + " " + path + " answered " + answer);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
