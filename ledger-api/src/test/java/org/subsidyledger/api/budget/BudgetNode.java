package org.subsidyledger.api.budget;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.subsidyledger.api.LedgerApplication;
import org.subsidyledger.api.support.Processors;
import org.subsidyledger.core.shared.LedgerRejection;
import org.subsidyledger.projections.budget.BudgetProjector;

/**
 * One running ledger (a Spring Boot context, with or without its HTTP server) on a test's database. Public for the
 * read-side tests of other features (alerts).
 */
public final class BudgetNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    final ConfigurableApplicationContext context;
    final CommandGateway gateway;
    final JdbcTemplate jdbc;
    private final String base;

    private BudgetNode(ConfigurableApplicationContext context, boolean web) {
        this.context = context;
        this.gateway = context.getBean(CommandGateway.class);
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.base = web
                ? "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port") + "/api/v1"
                : null;
    }

    /**
     * Starts a node. Expiry and lapse sweeps are off (the tests send those commands themselves, at the instants they
     * choose); the budget processor checks for claimable segments often, so that nodes hand segments over quickly.
     */
    public static BudgetNode start(Map<String, Object> databaseProperties, Clock clock, boolean web) {
        Map<String, Object> properties = new HashMap<>(databaseProperties);
        properties.put("ledger.expiry.enabled", "false");
        properties.put("axon.eventhandling.processors.budget.token-claim-interval", "200");
        properties.put("ledger.processing.heartbeat-interval", "100ms");
        if (web) {
            properties.put("server.port", "0");
        }
        String[] arguments = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(arguments);
        return new BudgetNode(context, web);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Sends a command and expects it to be accepted. */
    public <R> R send(Object command) {
        return gateway.sendAndWait(command);
    }

    /** Sends a command; a rejection (which appends nothing) is returned instead of thrown. */
    public LedgerRejection trySend(Object command) {
        try {
            gateway.sendAndWait(command);
            return null;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof LedgerRejection rejection) {
                    return rejection;
                }
            }
            throw e;
        }
    }

    public PooledStreamingEventProcessor budgetProcessor() {
        return bean(EventProcessingConfiguration.class)
                .eventProcessor(BudgetProjector.PROCESSING_GROUP, PooledStreamingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("no pooled streaming processor 'budget'"));
    }

    /** Segments of the budget processor this node works on. */
    Map<Integer, EventTrackerStatus> budgetSegments() {
        return budgetProcessor().processingStatus();
    }

    // ---------------------------------------------------------------- HTTP

    public record Answer(int status, String contentType, JsonNode body) {}

    public Answer get(String path) {
        return get(path, "national");
    }

    /** GET of an NDJSON answer as one of the demo users: one JSON value a line. */
    public List<JsonNode> getLines(String path, String user) {
        HttpResponse<String> response = exchangeGet(path, user);
        if (response.statusCode() != 200) {
            fail("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : response.body().split("\\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " answered a line that is not JSON: " + e, e);
        }
        return lines;
    }

    /** GET as one of the demo users (password {@code demo}). */
    public Answer get(String path, String user) {
        HttpResponse<String> response = exchangeGet(path, user);
        String type = response.headers().firstValue("Content-Type").orElse("");
        try {
            return new Answer(response.statusCode(), type, JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " answered no JSON: " + e, e);
        }
    }

    private HttpResponse<String> exchangeGet(String path, String user) {
        if (base == null) {
            throw new IllegalStateException("node started without its HTTP server");
        }
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .GET()
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** POST of a JSON body (or none), as the national administrator. */
    Answer post(String path, String body) {
        return post(path, body, "national");
    }

    /** POST of a JSON body (or none) as one of the demo users (password {@code demo}). */
    public Answer post(String path, String body, String user) {
        return postWithKey(path, body, user, null);
    }

    /** POST as one of the demo users with an {@code Idempotency-Key} (none when null). */
    public Answer postWithKey(String path, String body, String user, String idempotencyKey) {
        if (base == null) {
            throw new IllegalStateException("node started without its HTTP server");
        }
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .POST(
                                    body == null
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofString(body))
                            .header("Content-Type", "application/json")
                            .header(
                                    "Authorization",
                                    "Basic "
                                            + Base64.getEncoder()
                                                    .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                            .headers(
                                    idempotencyKey == null
                                            ? new String[] {"X-Correlation-Id", "test"}
                                            : new String[] {"Idempotency-Key", idempotencyKey})
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String type = response.headers().firstValue("Content-Type").orElse("");
            return new Answer(response.statusCode(), type, JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GET that must answer 200 with JSON. */
    public JsonNode getOk(String path) {
        Answer answer = get(path);
        if (answer.status() != 200) {
            fail("GET " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    // ---------------------------------------------------------------- waiting for the projection

    /**
     * Waits, polling with a bound, until the budget processor has processed every event appended so far: among the
     * given nodes (which share one database) every segment is claimed and each segment's token position has reached
     * the head of the event store. Fails, describing the segments, if that takes longer than 30 seconds.
     */
    public static void awaitProjection(BudgetNode... nodes) {
        Processors.awaitHead(
                Duration.ofSeconds(30),
                BudgetProjector.PROCESSING_GROUP,
                Arrays.stream(nodes).map(n -> n.context).toArray(ApplicationContext[]::new));
    }

    @Override
    public void close() {
        context.close();
    }
}
