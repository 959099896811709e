package org.subsidyledger.api.security;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Who is calling: a name, a role and, for a province officer, the one province they act for. Built from HTTP Basic
 * demo users or from a JWT's claims; recorded in every event's metadata.
 */
public record LedgerPrincipal(String name, Role role, String province) {

    public boolean isOfficer() {
        return role == Role.PROVINCE_OFFICER;
    }

    /** Whether this principal may see or act on a province's resources. */
    public boolean covers(String provinceCode) {
        return !isOfficer() || province.equals(provinceCode);
    }

    public static Optional<LedgerPrincipal> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return Optional.empty();
        }
        if (authentication.getPrincipal() instanceof LedgerPrincipal principal) {
            return Optional.of(principal);
        }
        if (authentication.getPrincipal() instanceof UserDetails user) {
            return Optional.ofNullable(DemoUsers.principals().get(user.getUsername()));
        }
        return Optional.empty();
    }
}
