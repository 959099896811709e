package org.subsidyledger.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tomcat's own refusals, on a real embedded Tomcat with the valve installed as the ledger installs it: problem+json
 * with SPEC's codes, and {@code 503 OVERLOADED} with {@code Retry-After} for whatever Tomcat refuses while it stops.
 */
class ProblemErrorReportValveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path base;

    private Tomcat tomcat;
    private final CountDownLatch inServlet = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeEach
    void start() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector();
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        Context context = tomcat.addContext("", base.toString());
        Tomcat.addServlet(context, "refuses", new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (request.getRequestURI().startsWith("/slow")) {
                    inServlet.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                // a refusal with a status and no body, as Tomcat's own components send them
                response.sendError(Integer.parseInt(request.getParameter("status")));
            }
        });
        context.addServletMappingDecoded("/*", "refuses");
        tomcat.start();
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        if (tomcat.getServer().getState() != LifecycleState.DESTROYED) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void refusalsOfARunningServerKeepTheirStatusAndCode() throws Exception {
        HttpResponse<String> bad = get("/fast?status=400");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertProblem(bad, "VALIDATION_FAILED", 400);
        assertThat(bad.headers().firstValue("Retry-After")).isEmpty();

        HttpResponse<String> missing = get("/fast?status=404");
        assertProblem(missing, "NOT_FOUND", 404);

        HttpResponse<String> broken = get("/fast?status=500");
        assertThat(broken.statusCode()).isEqualTo(500);
        JsonNode body = JSON.readTree(broken.body());
        assertThat(body.has("code")).as("a defect names no SPEC code: %s", body).isFalse();
        assertThat(broken.body()).doesNotContain("Exception").doesNotContain("Tomcat");
    }

    @Test
    void tomcatsOwnUnavailableIsOverloadedWithRetryAfter() throws Exception {
        HttpResponse<String> unavailable = get("/fast?status=503");
        assertProblem(unavailable, "OVERLOADED", 503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void aRefusalWhileTheServerStopsIsOverloadedNotTheClientsFault() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight =
                CompletableFuture.supplyAsync(() -> getUnchecked("/slow?status=400"));
        assertThat(inServlet.await(10, TimeUnit.SECONDS))
                .as("the request reached the servlet")
                .isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                tomcat.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tomcat.getService().getState() == LifecycleState.STARTED && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(tomcat.getService().getState()).isIn(LifecycleState.STOPPING_PREP, LifecycleState.STOPPING);
        release.countDown();

        HttpResponse<String> refused = inFlight.get(10, TimeUnit.SECONDS);
        assertProblem(refused, "OVERLOADED", 503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        stopping.get(20, TimeUnit.SECONDS);
        tomcat.destroy();
    }

    private void assertProblem(HttpResponse<String> response, String code, int status) throws IOException {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("code").asText()).as("%s", body).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).endsWith(code.toLowerCase().replace('_', '-'));
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("detail").asText()).isNotBlank();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        int port = tomcat.getConnector().getLocalPort();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(15))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getUnchecked(String path) {
        try {
            return get(path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
