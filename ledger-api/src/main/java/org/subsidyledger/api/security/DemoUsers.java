package org.subsidyledger.api.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * SPEC §9's demo users, password {@code demo} for each, kept only as a BCrypt hash. They exist outside the
 * {@code production} profile; that profile refuses to start with them.
 */
public final class DemoUsers implements UserDetailsService {
    public static final String PASSWORD = "demo";
    private static final Map<String, LedgerPrincipal> PRINCIPALS = new LinkedHashMap<>();

    static {
        add("national", Role.NATIONAL_ADMIN, null);
        add("auditor", Role.AUDITOR, null);
        for (String province : List.of("CN-ZJ", "CN-GD", "CN-BJ", "CN-SH", "CN-HA", "US-CA")) {
            add("officer-" + province.toLowerCase(), Role.PROVINCE_OFFICER, province);
        }
    }

    private final Map<String, UserDetails> users = new LinkedHashMap<>();

    public DemoUsers(PasswordEncoder encoder) {
        String hash = encoder.encode(PASSWORD);
        PRINCIPALS.forEach((name, principal) -> users.put(
                name,
                User.withUsername(name)
                        .password(hash)
                        .authorities(new SimpleGrantedAuthority(principal.role().authority()))
                        .build()));
    }

    private static void add(String name, Role role, String province) {
        PRINCIPALS.put(name, new LedgerPrincipal(name, role, province));
    }

    public static Map<String, LedgerPrincipal> principals() {
        return Collections.unmodifiableMap(PRINCIPALS);
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserDetails user = users.get(username);
        if (user == null) {
            throw new UsernameNotFoundException("no such user");
        }
        return User.withUserDetails(user).build();
    }
}
