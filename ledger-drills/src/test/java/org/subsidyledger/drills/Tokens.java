package org.subsidyledger.drills;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Bearer tokens as production uses them (SPEC §9): the drill makes an RSA key pair, hands the ledger the public key in
 * PEM ({@code ledger.security.jwt.public-key}) and signs RS256 tokens with the private one. The demo users are off.
 */
final class Tokens {
    /** The issuer and audience the drills' ledger is told to accept (ledger.security.jwt.issuer, .audience). */
    static final String ISSUER = "https://id.drills.example.cn";

    static final String AUDIENCE = "subsidy-ledger";

    private final KeyPair keys;
    private final Path publicKeyFile;

    Tokens(Path directory) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            publicKeyFile = Files.writeString(directory.resolve("jwt-public.pem"), pem, StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path publicKeyFile() {
        return publicKeyFile;
    }

    /** A national administrator's token, valid for two hours (longer than any drill). */
    String nationalAdmin(String subject) {
        return sign(subject, "NATIONAL_ADMIN");
    }

    /** An auditor's token: the audit endpoints (verify, replays). */
    String auditor(String subject) {
        return sign(subject, "AUDITOR");
    }

    private String sign(String subject, String role) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("role", role)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2))))
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
        return "Bearer " + jwt.serialize();
    }
}
