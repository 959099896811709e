package org.subsidyledger.api.kafka;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's docs/ (asyncapi.yaml and schemas/) from the module a test runs in. */
public final class ContractFiles {
    private ContractFiles() {}

    public static Path docs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs").resolve("asyncapi.yaml"))) {
                return dir.resolve("docs");
            }
        }
        throw new IllegalStateException(
                "docs/asyncapi.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
