package org.subsidyledger.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password encoder that remembers, for a short time, that a password matched its stored hash, so that a client
 * sending HTTP Basic on every request pays for BCrypt (about 60 ms of CPU at the default strength) once every few
 * minutes instead of on every request.
 *
 * <p>What is remembered is never the password: the key is an HMAC-SHA-256, under a random key made at start and never
 * stored, of the stored hash and the presented password. Only successful checks are remembered; a wrong password
 * always goes through BCrypt (and the login throttle). A changed password changes the stored hash, so an entry for the
 * old one never matches the new one; entries expire after {@code ttl} and there are at most {@code maxEntries}.
 */
public final class VerifiedCredentialsCache implements PasswordEncoder {
    private final PasswordEncoder delegate;
    private final Cache<String, Boolean> verified;
    private final byte[] key = new byte[32];

    public VerifiedCredentialsCache(PasswordEncoder delegate, Duration ttl, long maxEntries) {
        this.delegate = delegate;
        this.verified = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build();
        new SecureRandom().nextBytes(key);
    }

    /** Five minutes, ten thousand entries: the demo users and any realistic number of Basic clients. */
    public VerifiedCredentialsCache(PasswordEncoder delegate) {
        this(delegate, Duration.ofMinutes(5), 10_000);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String fingerprint = fingerprint(rawPassword, encodedPassword);
        if (verified.getIfPresent(fingerprint) != null) {
            return true;
        }
        // One check per fingerprint at a time: requests that arrive together with the same credentials (a client's
        // whole connection pool at its start) wait for the first one's BCrypt instead of each running their own,
        // which on two cores kept the last of 64 such requests waiting for seconds. A mismatch stores nothing, so
        // each request with a wrong password still goes through BCrypt itself.
        return verified.get(fingerprint, f -> delegate.matches(rawPassword, encodedPassword) ? Boolean.TRUE : null)
                != null;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private String fingerprint(CharSequence rawPassword, String encodedPassword) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(rawPassword.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
        }
    }
}
