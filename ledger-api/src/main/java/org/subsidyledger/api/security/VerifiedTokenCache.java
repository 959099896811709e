package org.subsidyledger.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A JWT decoder that remembers, for a short time, a bearer token it has already verified, so that a client sending the
 * same token on every request pays for the signature check and the claim validation (issuer, audience, times) once
 * rather than on every request.
 *
 * <p>Only tokens the delegate accepted are remembered, under the SHA-256 of the token. A remembered token is given back
 * only until its {@code exp}; after that it goes through the delegate again, which applies its own clock skew and
 * refuses it. Entries also expire {@code ttl} after they were verified, and there are at most {@code maxEntries}.
 */
public final class VerifiedTokenCache implements JwtDecoder {
    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public VerifiedTokenCache(JwtDecoder delegate, Clock clock, Duration ttl, long maxEntries) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .build();
    }

    /** One minute, ten thousand tokens. */
    public VerifiedTokenCache(JwtDecoder delegate) {
        this(delegate, Clock.systemUTC(), Duration.ofMinutes(1), 10_000);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        if (token == null) {
            return delegate.decode(null);
        }
        String key = sha256(token);
        Jwt known = verified.getIfPresent(key);
        if (known != null) {
            if (unexpired(known)) {
                return known;
            }
            verified.invalidate(key);
        }
        Jwt jwt = delegate.decode(token);
        if (unexpired(jwt)) {
            verified.put(key, jwt);
        }
        return jwt;
    }

    private boolean unexpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt == null || clock.instant().isBefore(expiresAt);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
