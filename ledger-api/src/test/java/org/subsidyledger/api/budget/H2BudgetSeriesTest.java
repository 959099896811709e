package org.subsidyledger.api.budget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** The budget series on the embedded default: an H2 file database, fresh in a temporary directory. */
class H2BudgetSeriesTest extends BudgetSeriesContract {
    private Path directory;

    @Override
    Map<String, Object> createDatabase() {
        try {
            directory = Files.createTempDirectory("budget-series-h2-");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return Map.of(
                "spring.datasource.url",
                "jdbc:h2:file:" + directory.resolve("ledger").toAbsolutePath()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000");
    }

    @Override
    void dropDatabase() {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; nothing depends on its removal
        }
    }
}
