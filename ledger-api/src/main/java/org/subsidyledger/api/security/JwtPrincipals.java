package org.subsidyledger.api.security;

import java.util.ArrayList;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.subsidyledger.core.shared.Jurisdiction;

/**
 * Turns a verified JWT into a {@link LedgerPrincipal}: the name from {@code preferred_username} or {@code sub}, the
 * role from {@code role} (or the first ledger role in {@code roles}), the province from {@code province}, required for
 * a province officer. A token without them is refused as invalid (401), never let in with a guessed role.
 */
public final class JwtPrincipals implements Converter<Jwt, AbstractAuthenticationToken> {

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String name =
                jwt.hasClaim("preferred_username") ? jwt.getClaimAsString("preferred_username") : jwt.getSubject();
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidBearerTokenException("The token names no subject.");
        }
        Role role = role(jwt);
        String province = jwt.getClaimAsString("province");
        if (role == Role.PROVINCE_OFFICER && !Jurisdiction.isKnown(province)) {
            throw new InvalidBearerTokenException("A province officer's token must carry a known province claim.");
        }
        LedgerPrincipal principal = new LedgerPrincipal(name, role, role == Role.PROVINCE_OFFICER ? province : null);
        return new Authenticated(principal, jwt);
    }

    private static Role role(Jwt jwt) {
        List<String> candidates = new ArrayList<>();
        if (jwt.hasClaim("role")) {
            candidates.add(jwt.getClaimAsString("role"));
        }
        if (jwt.hasClaim("roles")) {
            List<String> roles = jwt.getClaimAsStringList("roles");
            if (roles != null) {
                candidates.addAll(roles);
            }
        }
        for (String candidate : candidates) {
            for (Role role : Role.values()) {
                if (role.name().equals(candidate)) {
                    return role;
                }
            }
        }
        throw new InvalidBearerTokenException("The token carries no ledger role.");
    }

    /** An authenticated JWT whose principal is the ledger's. */
    static final class Authenticated extends AbstractAuthenticationToken {
        private final LedgerPrincipal principal;
        private final Jwt jwt;

        Authenticated(LedgerPrincipal principal, Jwt jwt) {
            super(List.of(new SimpleGrantedAuthority(principal.role().authority())));
            this.principal = principal;
            this.jwt = jwt;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return jwt;
        }

        @Override
        public Object getPrincipal() {
            return principal;
        }

        @Override
        public String getName() {
            return principal.name();
        }
    }
}
