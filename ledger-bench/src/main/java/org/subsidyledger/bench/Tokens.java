package org.subsidyledger.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Bearer tokens as an identity provider would issue them: an RSA key pair made for the run, its public key handed to
 * the ledger ({@code ledger.security.jwt.public-key}), RS256 tokens with the ledger's claims (SPEC §9).
 */
final class Tokens {
    /** The issuer and audience the benchmark's ledger is told to accept (ledger.security.jwt.issuer, .audience). */
    static final String ISSUER = "https://id.bench.example.cn";

    static final String AUDIENCE = "subsidy-ledger";

    private final KeyPair keys;

    Tokens() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every Java runtime", e);
        }
    }

    /** Writes the public key as PEM where the ledger will read it. */
    Path writePublicKey(Path file) throws IOException {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    /** A token for a national administrator or auditor. */
    String national(String name, String role) {
        return sign(name, role, null);
    }

    /** A token for the officer of one province. */
    String officer(String province) {
        return sign("officer-" + province.toLowerCase(), "PROVINCE_OFFICER", province);
    }

    private String sign(String name, String role, String province) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(name)
                .claim("preferred_username", name)
                .claim("role", role)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(86_400)))
                .issuer(ISSUER)
                .audience(AUDIENCE);
        if (province != null) {
            claims.claim("province", province);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        try {
            jwt.sign(new RSASSASigner(keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
