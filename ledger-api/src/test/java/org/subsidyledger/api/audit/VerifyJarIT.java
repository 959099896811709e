package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as an auditor runs it: {@code java -jar ledger-api/target/ledger-api.jar verify FILE.ndjson}, with no
 * server and no database (run by failsafe after {@code package}). An intact export is exit 0, a changed line exit 1,
 * an unreadable file exit 2.
 */
class VerifyJarIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path files;

    @Test
    void theJarVerifiesAnExportWithoutServerOrDatabase() throws Exception {
        Path jar = Path.of("target", "ledger-api.jar").toAbsolutePath();
        assertThat(jar).as("the packaged application").exists();

        List<String> lines = new ArrayList<>();
        String previous = AuditEntry.GENESIS;
        for (int sequence = 0; sequence < 3; sequence++) {
            ObjectNode payload = JSON.createObjectNode()
                    .put("filingNo", "Beijing-Jar-" + sequence)
                    .put("vendorId", "vendor-1")
                    .put("country", "CN")
                    .put("reason", "withdrawn " + sequence);
            AuditEntry entry = new AuditEntry(
                            "e-" + sequence,
                            sequence + 1,
                            "model-1",
                            sequence,
                            "ModelDeregistered",
                            "1",
                            "2026-08-14T02:00:0" + sequence + "Z",
                            payload,
                            JSON.createObjectNode().put("principal", "national"),
                            null,
                            null)
                    .chained(previous, sequence + 1);
            previous = entry.hash();
            lines.add(entry.toJson().toString());
        }
        Path intact = write("intact.ndjson", lines);
        Result ok = run(jar, intact);
        assertThat(ok.status).as("intact: %s", ok.output).isZero();
        assertThat(ok.output).contains("Entries: 3").contains("Chains and seals: INTACT");

        List<String> changed = new ArrayList<>(lines);
        changed.set(1, changed.get(1).replace("withdrawn 1", "withdrawn 7"));
        Result broken = run(jar, write("changed.ndjson", changed));
        assertThat(broken.status).as("changed: %s", broken.output).isEqualTo(1);
        assertThat(broken.output).contains("BROKEN at global index 2: ALTERED");

        Result unreadable = run(jar, write("garbage.ndjson", List.of("not an export")));
        assertThat(unreadable.status).as("garbage: %s", unreadable.output).isEqualTo(2);
    }

    private Path write(String name, List<String> lines) throws IOException {
        return Files.write(files.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private record Result(int status, String output) {}

    private static Result run(Path jar, Path file) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "verify", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("verify finished").isTrue();
        return new Result(process.exitValue(), output);
    }
}
