package org.subsidyledger.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.subsidyledger.api.support.MutableClock;

/** The real RS256 decoder with the ledger's issuer and audience checks, counted, behind the cache. */
class VerifiedTokenCacheTest {
    private static final String ISSUER = "https://id.example.cn";
    private static final String AUDIENCE = "subsidy-ledger";

    private final KeyPair keys = rsa();
    private final CountingDecoder real = new CountingDecoder(decoder(keys));
    private final MutableClock clock = new MutableClock(Instant.now());
    private final VerifiedTokenCache cache = new VerifiedTokenCache(real, clock, Duration.ofMinutes(1), 100);

    private static final class CountingDecoder implements JwtDecoder {
        final JwtDecoder delegate;
        final AtomicInteger decodes = new AtomicInteger();

        CountingDecoder(JwtDecoder delegate) {
            this.delegate = delegate;
        }

        @Override
        public Jwt decode(String token) {
            decodes.incrementAndGet();
            return delegate.decode(token);
        }
    }

    @Test
    void aVerifiedTokenIsCheckedOnceThenRemembered() {
        String token = sign(keys, ISSUER, Instant.now().plus(Duration.ofHours(1)));
        for (int i = 0; i < 50; i++) {
            assertThat(cache.decode(token).getSubject()).isEqualTo("officer-zj");
        }
        assertThat(real.decodes).hasValue(1);
    }

    @Test
    void aRefusedTokenIsNeverRememberedAndAlwaysRefused() {
        String otherIssuer =
                sign(keys, "https://id.elsewhere.example", Instant.now().plus(Duration.ofHours(1)));
        String otherKey = sign(rsa(), ISSUER, Instant.now().plus(Duration.ofHours(1)));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.decode(otherIssuer)).isInstanceOf(JwtValidationException.class);
            assertThatThrownBy(() -> cache.decode(otherKey)).hasMessageContaining("signature");
        }
        assertThat(real.decodes).hasValue(6);
    }

    @Test
    void aRememberedTokenIsNotGivenBackAfterItsExpiry() {
        Instant expiry = Instant.now().plus(Duration.ofSeconds(30));
        String token = sign(keys, ISSUER, expiry);
        assertThat(cache.decode(token).getExpiresAt()).isEqualTo(expiry.truncatedTo(ChronoUnit.SECONDS));
        clock.set(expiry.plusSeconds(1));
        cache.decode(token); // the real decoder's own clock still accepts it (it is not yet expired in real time)
        assertThat(real.decodes)
                .as("checked again once past exp on the cache's clock")
                .hasValue(2);
    }

    @Test
    void anotherTokenIsCheckedOnItsOwn() {
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        String first = sign(keys, ISSUER, expiry);
        String second = sign(keys, ISSUER, expiry.plusSeconds(1));
        cache.decode(first);
        cache.decode(second);
        cache.decode(first);
        assertThat(real.decodes).hasValue(2);
    }

    @Test
    void entriesExpireAfterTheirTimeToLive() throws InterruptedException {
        VerifiedTokenCache shortLived =
                new VerifiedTokenCache(real, Clock.system(ZoneOffset.UTC), Duration.ofMillis(50), 10);
        String token = sign(keys, ISSUER, Instant.now().plus(Duration.ofHours(1)));
        shortLived.decode(token);
        Thread.sleep(120);
        shortLived.decode(token);
        assertThat(real.decodes).hasValue(2);
    }

    private static JwtDecoder decoder(KeyPair keys) {
        NimbusJwtDecoder nimbus =
                NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
        nimbus.setJwtValidator(TokenValidation.of(ISSUER, AUDIENCE, true));
        return nimbus;
    }

    private static String sign(KeyPair keys, String issuer, Instant expiry) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                new JWTClaimsSet.Builder()
                        .subject("officer-zj")
                        .issuer(issuer)
                        .audience(AUDIENCE)
                        .claim("role", "PROVINCE_OFFICER")
                        .claim("province", "ZJ")
                        .issueTime(new Date())
                        .expirationTime(Date.from(expiry))
                        .build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
