package org.subsidyledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class VerifiedCredentialsCacheTest {

    /** BCrypt, counting how often it really checks. */
    private static final class CountingEncoder implements PasswordEncoder {
        final PasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    }

    @Test
    void aVerifiedPasswordIsCheckedOnceThenRemembered() {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt);
        String hash = cache.encode("demo");
        for (int i = 0; i < 100; i++) {
            assertThat(cache.matches("demo", hash)).isTrue();
        }
        assertThat(bcrypt.checks).hasValue(1);
    }

    @Test
    void aWrongPasswordIsNeverRememberedAndNeverMatches() {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt);
        String hash = cache.encode("demo");
        assertThat(cache.matches("demo", hash)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.matches("Demo", hash)).isFalse();
            assertThat(cache.matches("demo ", hash)).isFalse();
        }
        assertThat(bcrypt.checks).hasValue(11);
    }

    @Test
    void anotherStoredHashIsCheckedAgain() {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt);
        String first = cache.encode("demo");
        String changed = cache.encode("other");
        assertThat(cache.matches("demo", first)).isTrue();
        assertThat(cache.matches("demo", changed)).isFalse();
        assertThat(bcrypt.checks).hasValue(2);
    }

    @Test
    void entriesExpire() throws InterruptedException {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt, Duration.ofMillis(50), 10);
        String hash = cache.encode("demo");
        assertThat(cache.matches("demo", hash)).isTrue();
        Thread.sleep(120);
        assertThat(cache.matches("demo", hash)).isTrue();
        assertThat(bcrypt.checks).hasValue(2);
    }
}
