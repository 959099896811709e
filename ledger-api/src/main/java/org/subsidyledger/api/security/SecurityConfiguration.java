package org.subsidyledger.api.security;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.subsidyledger.core.shared.RejectionCode;

/**
 * Every endpoint needs an authenticated principal (SPEC §9): HTTP Basic with the demo users outside the
 * {@code production} profile, OAuth2 JWT bearer tokens when a key or issuer is configured. What each role may do is
 * decided here by path and method; province scoping (a province officer sees and acts on their own province only) is
 * decided by {@link ProvinceScope} where the province of a resource is known.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

    /**
     * No observation of Spring Security's own filters, authentications and authorizations. With them on, every filter
     * of the chain opened an observation and recorded its events as counters on every request, about a tenth of a
     * read's CPU (BENCHMARKS.md), for meters no dashboard or alert of the ledger reads; requests stay observed as a whole
     * ({@code http.server.requests}, by status, so a refused login still shows as a 401).
     */
    @Bean
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return new VerifiedCredentialsCache(new BCryptPasswordEncoder());
    }

    /**
     * The demo users, unless {@code ledger.security.demo-users=false}. The bean is left out rather than defined as
     * null: Spring Security looks every {@code UserDetailsService} bean up by type, and a null bean stops start-up.
     */
    @Bean
    @ConditionalOnProperty(name = "ledger.security.demo-users", havingValue = "true", matchIfMissing = true)
    public DemoUsers demoUsers(PasswordEncoder encoder, Environment environment) {
        if (environment.acceptsProfiles(Profiles.of("production"))) {
            throw new IllegalStateException("The production profile refuses the demo users: set "
                    + "ledger.security.demo-users=false and configure JWT authentication.");
        }
        return new DemoUsers(encoder);
    }

    /**
     * A JWT decoder from {@code ledger.security.jwt.public-key} (an RSA public key in PEM, a file or classpath
     * location), checking {@code ledger.security.jwt.issuer} and {@code ledger.security.jwt.audience}
     * ({@link TokenValidation}; both required in the {@code production} profile); Spring Boot's own
     * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} work as well and take
     * precedence. Either way a verified token is remembered until its expiry, for a minute at most
     * ({@link VerifiedTokenCache}).
     */
    @Bean
    public JwtDecoderHolder jwtDecoderHolder(
            ObjectProvider<JwtDecoder> bootDecoder,
            @Value("${ledger.security.jwt.public-key:}") String publicKey,
            @Value("${ledger.security.jwt.issuer:}") String issuer,
            @Value("${ledger.security.jwt.audience:}") String audience,
            Environment environment) {
        JwtDecoder decoder = bootDecoder.getIfAvailable();
        if (decoder == null && !publicKey.isBlank()) {
            NimbusJwtDecoder nimbus =
                    NimbusJwtDecoder.withPublicKey(readPublicKey(publicKey)).build();
            nimbus.setJwtValidator(
                    TokenValidation.of(issuer, audience, environment.acceptsProfiles(Profiles.of("production"))));
            decoder = nimbus;
        }
        return new JwtDecoderHolder(decoder == null ? null : new VerifiedTokenCache(decoder));
    }

    public record JwtDecoderHolder(JwtDecoder decoder) {}

    @Bean
    public SecurityFilterChain ledgerSecurity(
            HttpSecurity http,
            ObjectProvider<DemoUsers> demoUsers,
            JwtDecoderHolder jwt,
            Environment environment,
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
                .authorizeHttpRequests(auth -> apiRules(auth, publicDocs));
        if (users != null) {
            http.userDetailsService(users)
                    .httpBasic(basic -> basic.authenticationEntryPoint(ProblemResponses.unauthenticated(true)))
                    .addFilterBefore(throttle, BasicAuthenticationFilter.class);
        }
        if (jwt.decoder() != null) {
            http.oauth2ResourceServer(rs -> rs.authenticationEntryPoint(ProblemResponses.unauthenticated(false))
                    .jwt(j -> j.decoder(jwt.decoder()).jwtAuthenticationConverter(new JwtPrincipals())));
        }
        return http.build();
    }

    /** What each role may do, by path and method: the same for HTTP Basic, bearer tokens and the dashboard's session. */
    private static void apiRules(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry auth,
            boolean publicDocs) {
        auth.requestMatchers("/actuator/health", "/actuator/health/**", "/error")
                .permitAll();
        if (publicDocs) {
            auth.requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                    .permitAll();
        }
        auth.requestMatchers("/actuator/**")
                .hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.AUDITOR.name())
                .requestMatchers("/api/v1/audit/**")
                .hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.AUDITOR.name())
                .requestMatchers("/api/v1/admin/**")
                .hasRole(Role.NATIONAL_ADMIN.name())
                .requestMatchers(
                        HttpMethod.POST,
                        "/api/v1/providers",
                        "/api/v1/providers/**",
                        "/api/v1/models",
                        "/api/v1/models/**")
                .hasRole(Role.NATIONAL_ADMIN.name())
                .requestMatchers(HttpMethod.POST, "/api/v1/**")
                .hasAnyRole(Role.NATIONAL_ADMIN.name(), Role.PROVINCE_OFFICER.name())
                .requestMatchers(HttpMethod.GET, "/api/v1/**")
                .authenticated()
                .anyRequest()
                .hasRole(Role.NATIONAL_ADMIN.name());
    }

    /**
     * The dashboard's sign-in: a form login with a session, for the pages under {@code /dashboard/} and for the JSON
     * API calls those pages make with the session cookie (and no Authorization header). Same users, roles and rules
     * as the API; CSRF protection on everything the session can change (the token travels in the
     * {@code XSRF-TOKEN} cookie and comes back as the {@code X-XSRF-TOKEN} header or the {@code _csrf} form field);
     * sign-out is {@code POST /logout}. Requests with an Authorization header never reach this chain, so Basic and
     * bearer clients stay stateless and need no CSRF token. Without a user store for passwords (the
     * {@code production} profile, JWT only) this chain matches nothing and the pages are not served.
     */
    @Bean
    @Order(1)
    public SecurityFilterChain dashboardSecurity(
            HttpSecurity http,
            ObjectProvider<DemoUsers> demoUsers,
            LoginThrottle throttle,
            @Value("${ledger.security.public-docs:true}") boolean publicDocs)
            throws Exception {
        DemoUsers users = demoUsers.getIfAvailable();
        if (users == null) {
            return http.securityMatcher(request -> false).build();
        }
        CsrfTokenRequestAttributeHandler csrfHandler = new CsrfTokenRequestAttributeHandler();
        csrfHandler.setCsrfRequestAttributeName(null); // load the token on every request, so the cookie is always set
        AuthenticationEntryPoint toLogin = new LoginUrlAuthenticationEntryPoint("/login");
        RequestMatcher api = request -> request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        http.securityMatcher(SecurityConfiguration::dashboardRequest)
                .userDetailsService(users)
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(csrfHandler))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .requestCache(cache -> cache.disable())
                .exceptionHandling(
                        e -> e.defaultAuthenticationEntryPointFor(ProblemResponses.unauthenticated(false), api)
                                .defaultAuthenticationEntryPointFor(toLogin, request -> true)
                                .accessDeniedHandler(ProblemResponses.forbidden()))
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/login", "/dashboard/assets/**", "/webjars/**", "/favicon.ico")
                            .permitAll()
                            .requestMatchers(HttpMethod.GET, "/", "/dashboard", "/dashboard/**")
                            .authenticated();
                    apiRules(auth, publicDocs);
                })
                .formLogin(form -> form.loginPage("/login")
                        .defaultSuccessUrl("/dashboard/", true)
                        .failureUrl("/login?error")
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/logout")
                        .logoutSuccessUrl("/login?logout")
                        .deleteCookies("JSESSIONID"))
                .addFilterBefore(lockedFormLogin(throttle), UsernamePasswordAuthenticationFilter.class);
        return http.build();
    }

    /**
     * Pages, their assets, sign-in and sign-out; and API calls without credentials that carry a session cookie or come
     * from a page.
     */
    private static boolean dashboardRequest(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/")
                || path.equals("/login")
                || path.equals("/logout")
                || path.equals("/favicon.ico")
                || path.equals("/dashboard")
                || path.startsWith("/dashboard/")
                || path.startsWith("/webjars/")) {
            return true;
        }
        // The pages' own calls say so (X-Requested-With), so that after a sign-out or an expired session they get a
        // plain 401 rather than a Basic challenge, which would make the browser ask for a password in a dialog.
        return path.startsWith("/api/")
                && request.getHeader("Authorization") == null
                && (request.getRequestedSessionId() != null
                        || "XMLHttpRequest".equals(request.getHeader("X-Requested-With")));
    }

    /** A user name locked by {@link LoginThrottle} is refused at the form as at HTTP Basic, without a password check. */
    private static Filter lockedFormLogin(LoginThrottle throttle) {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String user = request.getParameter("username");
            if ("POST".equals(http.getMethod())
                    && "/login".equals(http.getServletPath())
                    && user != null
                    && throttle.locked(user)) {
                ((HttpServletResponse) response).sendRedirect(http.getContextPath() + "/login?locked");
                return;
            }
            chain.doFilter(request, response);
        };
    }

    /**
     * Requests that Spring Security's firewall refuses (dot segments, encoded percent or slash, semicolons, line
     * breaks in the path) answer {@code 400 VALIDATION_FAILED} as problem+json like every other refusal, not Spring
     * Boot's error JSON.
     */
    @Bean
    public RequestRejectedHandler problemRequestRejectedHandler() {
        return (request, response, exception) -> ProblemResponses.write(
                request,
                response,
                RejectionCode.VALIDATION_FAILED,
                "The request was refused before it reached the ledger (malformed path or header).");
    }

    /** The throttle runs inside the security chain only, not a second time as a servlet filter. */
    @Bean
    public FilterRegistrationBean<LoginThrottle> loginThrottleRegistration(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    private static RSAPublicKey readPublicKey(String location) {
        try (InputStream in = new DefaultResourceLoader()
                .getResource(location.contains(":") ? location : "file:" + location)
                .getInputStream()) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "ledger.security.jwt.public-key could not be read as an RSA public key" + " in PEM form: "
                            + e.getMessage(),
                    e);
        }
    }
}
