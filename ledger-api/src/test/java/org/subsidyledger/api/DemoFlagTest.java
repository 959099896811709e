package org.subsidyledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code ./ledger --demo} reaches Spring as {@code --ledger.demo.enabled=true}; other arguments pass unchanged. */
class DemoFlagTest {

    @Test
    void demoBecomesTheDemoProperty() {
        assertThat(LedgerApplication.withDemoFlag(new String[] {"--spring.profiles.active=postgres", "--demo"}))
                .containsExactly("--spring.profiles.active=postgres", "--ledger.demo.enabled=true");
        assertThat(LedgerApplication.withDemoFlag(new String[] {"verify", "export.ndjson"}))
                .containsExactly("verify", "export.ndjson");
    }
}
