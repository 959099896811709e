package org.subsidyledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A few seconds of the benchmark against the packaged ledger (ledger-api/target/ledger-api.jar) on a fresh PostgreSQL
 * database: it must run every phase, produce its figures and plot, and never get a 5xx. It asserts no speed: the
 * machine running the build decides that.
 */
class BenchSmokeIT {

    @Test
    void aShortRunProducesEveryFigureWithoutServerErrors() throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "target/bench-smoke"));
        String jar = System.getProperty("bench.ledgerJar", "../ledger-api/target/ledger-api.jar");
        Map<String, Object> results = Bench.run(Settings.parse("--smoke", "--ledger-jar=" + jar, "--out=" + out));

        JsonNode json = Report.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results).containsKeys("phases", "baseline", "ratio", "seed");
        assertThat(json.path("seed").path("vouchers").asInt()).isGreaterThanOrEqualTo(40);
        assertThat(json.path("phases")).hasSize(4);
        for (JsonNode phase : json.path("phases")) {
            assertThat(phase.path("accepted").asLong())
                    .as("accepted in %s", phase.path("name"))
                    .isPositive();
            assertThat(phase.path("serverError").asLong())
                    .as("5xx in %s", phase.path("name"))
                    .isZero();
            assertThat(phase.path("clientError").asLong())
                    .as("unexpected 4xx in %s", phase.path("name"))
                    .isZero();
            assertThat(phase.path("allLatencyMs").path("p99").isNumber()).isTrue();
            assertThat(phase.path("ledgerCpuPercentOfOneCore").asDouble()).isPositive();
        }
        JsonNode open = json.path("phases").path(0);
        assertThat(open.path("model").asText()).isEqualTo("open");
        assertThat(open.path("eventsAppended").asLong()).isPositive();
        assertThat(open.path("lagMs").has("kafka-publisher"))
                .as("Kafka publication lag measured")
                .isTrue();
        assertThat(json.path("baseline").path("transactions").asLong()).isPositive();
        assertThat(json.path("ratio").path("fixedConcurrencyLedgerOverBaseline").isNumber())
                .isTrue();
        assertThat(Files.size(out.resolve("throughput-latency.png"))).isPositive();
    }
}
