package org.subsidyledger.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a drill measured, printed as one block (and appended to target/drills/figures.txt) so that a run's figures can
 * be copied into docs/RELIABILITY.md as they are.
 */
final class Figures {
    final String drill;
    final Map<String, String> lines = new LinkedHashMap<>();

    Figures(String drill) {
        this.drill = drill;
    }

    Figures put(String name, Object value) {
        lines.put(name, String.valueOf(value));
        return this;
    }

    String block() {
        StringBuilder out = new StringBuilder();
        out.append("==== drill ").append(drill).append(" ====\n");
        lines.forEach((name, value) -> out.append(String.format("%-22s %s%n", name, value)));
        out.append(String.format("%-22s %s%n", "load average", loadAverage()));
        out.append("==== end of ").append(drill).append(" ====\n");
        return out.toString();
    }

    void print() {
        String block = block();
        System.out.print(block);
        Path file = Path.of(System.getProperty("drills.work", "target/drills"), "figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, block, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append the figures to " + file, e);
        }
    }

    /** /proc/loadavg's three averages: the machine is shared, and the figures mean little without them. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min; "
                    + Runtime.getRuntime().availableProcessors() + " cores)";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
