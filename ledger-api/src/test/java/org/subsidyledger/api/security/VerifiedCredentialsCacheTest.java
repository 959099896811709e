package org.subsidyledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

    @Test
    void requestsArrivingTogetherWithTheSameCredentialsShareOneCheck() throws Exception {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt);
        String hash = new BCryptPasswordEncoder(10).encode("demo");
        int clients = 32;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return cache.matches("demo", hash);
                }));
            }
            start.countDown();
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(bcrypt.checks)
                .as("BCrypt checks for %d simultaneous requests", clients)
                .hasValue(1);
    }

    @Test
    void simultaneousWrongPasswordsAreEachChecked() throws Exception {
        CountingEncoder bcrypt = new CountingEncoder();
        VerifiedCredentialsCache cache = new VerifiedCredentialsCache(bcrypt);
        String hash = cache.encode("demo");
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> cache.matches("wrong", hash)));
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isFalse();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(bcrypt.checks).hasValue(clients);
        assertThat(cache.matches("demo", hash)).isTrue();
    }
}
