package org.subsidyledger.api.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * What a bearer token verified with {@code ledger.security.jwt.public-key} must claim besides a valid signature: that
 * it is in its validity period (always), that {@code ledger.security.jwt.issuer} issued it ({@code iss}, exactly) and
 * that it was issued for {@code ledger.security.jwt.audience} ({@code aud} contains it). Without the last two, a token
 * the same key signed for another application would get in; the {@code production} profile therefore refuses to start
 * with a public key but without both. A token that lacks a required claim is refused like one with a wrong value.
 */
public final class TokenValidation {
    private static final Logger log = LoggerFactory.getLogger(TokenValidation.class);

    private TokenValidation() {}

    /**
     * @param issuer   the required {@code iss}, or blank for none
     * @param audience the required member of {@code aud}, or blank for none
     * @param required whether both must be configured (the {@code production} profile)
     * @throws IllegalStateException when {@code required} and either is blank
     */
    public static OAuth2TokenValidator<Jwt> of(String issuer, String audience, boolean required) {
        boolean hasIssuer = issuer != null && !issuer.isBlank();
        boolean hasAudience = audience != null && !audience.isBlank();
        if (required && !(hasIssuer && hasAudience)) {
            throw new IllegalStateException("The production profile requires ledger.security.jwt.issuer and"
                    + " ledger.security.jwt.audience with ledger.security.jwt.public-key: without them a token the"
                    + " same key signed for another application would be accepted.");
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator());
        if (hasIssuer) {
            validators.add(new JwtIssuerValidator(issuer.trim()));
        }
        if (hasAudience) {
            String expected = audience.trim();
            validators.add(new JwtClaimValidator<Collection<String>>(
                    JwtClaimNames.AUD, aud -> aud != null && aud.contains(expected)));
        }
        if (!hasIssuer || !hasAudience) {
            log.warn(
                    "Bearer tokens are checked for their signature and validity period{}{}; set"
                            + " ledger.security.jwt.issuer and ledger.security.jwt.audience to accept only the tokens"
                            + " issued for this ledger.",
                    hasIssuer ? ", issuer" : "",
                    hasAudience ? ", audience" : "");
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }
}
