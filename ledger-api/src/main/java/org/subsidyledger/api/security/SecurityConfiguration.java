package org.subsidyledger.api.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Every endpoint needs an authenticated principal (SPEC §9): HTTP Basic with the demo users outside the
 * {@code production} profile, OAuth2 JWT bearer tokens when a key or issuer is configured. What each role may do is
 * decided here by path and method; province scoping (a province officer sees and acts on their own province only) is
 * decided by {@link ProvinceScope} where the province of a resource is known.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
        type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

    @Bean
    public PasswordEncoder passwordEncoder() {
        return new VerifiedCredentialsCache(new BCryptPasswordEncoder());
    }

    @Bean
    public DemoUsers demoUsers(PasswordEncoder encoder, Environment environment,
                               @Value("${ledger.security.demo-users:true}") boolean enabled) {
        if (environment.acceptsProfiles(Profiles.of("production")) && enabled) {
            throw new IllegalStateException("The production profile refuses the demo users: set "
                    + "ledger.security.demo-users=false and configure JWT authentication.");
        }
        return enabled ? new DemoUsers(encoder) : null;
    }

    /**
     * A JWT decoder from {@code ledger.security.jwt.public-key} (an RSA public key in PEM, a file or classpath
     * location); Spring Boot's own {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}
     * work as well and take precedence.
     */
    @Bean
    public JwtDecoderHolder jwtDecoderHolder(ObjectProvider<JwtDecoder> bootDecoder,
                                             @Value("${ledger.security.jwt.public-key:}") String publicKey) {
        JwtDecoder decoder = bootDecoder.getIfAvailable();
        if (decoder == null && !publicKey.isBlank()) {
            decoder = NimbusJwtDecoder.withPublicKey(readPublicKey(publicKey)).build();
        }
        return new JwtDecoderHolder(decoder);
    }

    public record JwtDecoderHolder(JwtDecoder decoder) {
    }

    @Bean
    public SecurityFilterChain ledgerSecurity(HttpSecurity http, ObjectProvider<DemoUsers> demoUsers,
                                              JwtDecoderHolder jwt, Environment environment,
                                              LoginThrottle throttle,
                                              @Value("${ledger.security.public-docs:true}") boolean publicDocs)
            throws Exception {
        DemoUsers users = demoUsers.getIfAvailable();
        if (environment.acceptsProfiles(Profiles.of("production")) && jwt.decoder() == null) {
            throw new IllegalStateException("The production profile requires JWT authentication: configure "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri or ledger.security.jwt.public-key.");
        }
        if (users == null && jwt.decoder() == null) {
            throw new IllegalStateException("No authentication is configured: enable the demo users or JWT.");
        }
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(ProblemResponses.unauthenticated(users != null))
                        .accessDeniedHandler(ProblemResponses.forbidden()))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll();
                    if (publicDocs) {
                        auth.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                                .permitAll();
                    }
                    auth.requestMatchers("/actuator/**").hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.AUDITOR.name())
                            .requestMatchers("/api/v1/audit/**").hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.AUDITOR.name())
                            .requestMatchers("/api/v1/admin/**").hasRole(Role.NATIONAL_ADMIN.name())
                            .requestMatchers(HttpMethod.POST, "/api/v1/providers", "/api/v1/providers/**",
                                    "/api/v1/models", "/api/v1/models/**").hasRole(Role.NATIONAL_ADMIN.name())
                            .requestMatchers(HttpMethod.POST, "/api/v1/**")
                            .hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.PROVINCE_OFFICER.name())
                            .requestMatchers(HttpMethod.GET, "/api/v1/**").authenticated()
                            .anyRequest().hasRole(Role.NATIONAL_ADMIN.name());
                });
        if (users != null) {
            http.userDetailsService(users)
                    .httpBasic(basic -> basic.authenticationEntryPoint(ProblemResponses.unauthenticated(true)))
                    .addFilterBefore(throttle, BasicAuthenticationFilter.class);
        }
        if (jwt.decoder() != null) {
            http.oauth2ResourceServer(rs -> rs
                    .authenticationEntryPoint(ProblemResponses.unauthenticated(false))
                    .jwt(j -> j.decoder(jwt.decoder()).jwtAuthenticationConverter(new JwtPrincipals())));
        }
        return http.build();
    }

    /**
     * Requests that Spring Security's firewall refuses (dot segments, encoded percent or slash, semicolons, line
     * breaks in the path) answer {@code 400 VALIDATION_FAILED} as problem+json like every other refusal, not Spring
     * Boot's error JSON.
     */
    @Bean
    public org.springframework.security.web.firewall.RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, exception) -> ProblemResponses.write(request, response,
                org.subsidyledger.core.shared.RejectionCode.VALIDATION_FAILED,
                "The request was refused before it reached the ledger (malformed path or header).");
    }

    /** The throttle runs inside the security chain only, not a second time as a servlet filter. */
    @Bean
    public org.springframework.boot.web.servlet.FilterRegistrationBean<LoginThrottle> loginThrottleRegistration(
            LoginThrottle throttle) {
        org.springframework.boot.web.servlet.FilterRegistrationBean<LoginThrottle> registration =
                new org.springframework.boot.web.servlet.FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    private static RSAPublicKey readPublicKey(String location) {
        try (InputStream in = new DefaultResourceLoader().getResource(location.contains(":") ? location
                : "file:" + location).getInputStream()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("ledger.security.jwt.public-key could not be read as an RSA public key"
                    + " in PEM form: " + e.getMessage(), e);
        }
    }
}
