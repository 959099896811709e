package org.subsidyledger.api.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Where a browser lands: {@code /} goes to the dashboard, {@code /dashboard/} is the national overview (or, for a
 * province officer, their province: the page decides from {@code /api/v1/provinces}), and {@code /login} is the
 * sign-in form. The pages themselves are static files under {@code classpath:/static/dashboard/}.
 */
@Configuration(proxyBeanMethods = false)
public class DashboardPages implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", "/dashboard/");
        registry.addRedirectViewController("/dashboard", "/dashboard/");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
        registry.addViewController("/login").setViewName("forward:/dashboard/assets/login.html");
    }
}
