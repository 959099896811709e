package org.subsidyledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The ledger as a Spring Boot application. By default it keeps its event store and index in an embedded H2 file under
 * {@code ./data/}; the {@code postgres} profile moves both to PostgreSQL (see {@code application-postgres.yml}).
 */
@SpringBootApplication
@EnableScheduling
public class LedgerApplication {

    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, withDemoFlag(args));
    }

    /** {@code --demo} is short for {@code --ledger.demo.enabled=true}: load the demo history into an empty ledger. */
    static String[] withDemoFlag(String[] args) {
        return java.util.Arrays.stream(args).map(a -> a.equals("--demo") ? "--ledger.demo.enabled=true" : a)
                .toArray(String[]::new);
    }
}
