package org.subsidyledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.subsidyledger.api.kafka.ContractFiles;

/**
 * docs/AUDIT.md's worked example stays true: its export verifies with the offline command, and the canonical form and
 * hash it prints for line 2 are the ones the ledger computes from that line.
 */
class AuditExampleTest {
    private static final Path DOCS = ContractFiles.docs();

    @Test
    void theDocumentedExportVerifiesAndItsWorkedHashIsTheLedgersOwn() throws IOException {
        Path export = DOCS.resolve("audit-example.ndjson");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = VerifyCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), export.toString());
        assertThat(status).as("%s %s", out, err).isEqualTo(VerifyCommand.INTACT);
        assertThat(out.toString()).contains("Chains and seals: INTACT");

        List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
        AuditEntry second = AuditEntry.parse(lines.get(1));
        String canonical = new String(second.canonicalForm(), StandardCharsets.UTF_8);
        String audit = Files.readString(DOCS.resolve("AUDIT.md"), StandardCharsets.UTF_8);
        assertThat(audit)
                .contains(lines.get(1))
                .contains(lines.get(2))
                .contains(canonical)
                .contains("(the bytes hashed, " + second.canonicalForm().length + " bytes")
                .contains("SHA-256 of those bytes: `" + second.computeHash() + "`");
        assertThat(second.computeHash()).isEqualTo(second.hash());
    }
}
