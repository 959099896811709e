package org.subsidyledger.api;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.subsidyledger.api.audit.VerifyCommand;

/**
 * The ledger as a Spring Boot application. By default it keeps its event store and index in an embedded H2 file under
 * {@code ./data/}; the {@code postgres} profile moves both to PostgreSQL (see {@code application-postgres.yml}).
 */
@SpringBootApplication
@EnableScheduling
public class LedgerApplication {

    /**
     * Starts the ledger, or with {@code verify FILE.ndjson} runs the offline verifier (docs/AUDIT.md) and exits with
     * its status, before anything of Spring starts: an auditor needs no server and no database for it.
     */
    public static void main(String[] args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            System.exit(VerifyCommand.run(
                    new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                    new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(LedgerApplication.class, withDemoFlag(args));
    }

    /** {@code --demo} is short for {@code --ledger.demo.enabled=true}: load the demo history into an empty ledger. */
    static String[] withDemoFlag(String[] args) {
        return Arrays.stream(args)
                .map(a -> a.equals("--demo") ? "--ledger.demo.enabled=true" : a)
                .toArray(String[]::new);
    }
}
