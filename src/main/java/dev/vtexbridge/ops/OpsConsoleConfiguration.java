package dev.vtexbridge.ops;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The ops console: static files under {@code classpath:/static/ops/} served at {@code /ops/}. They hold no data and
 * need no token; everything they show comes from {@code /ops/api}, which {@link OpsTokenFilter} guards.
 */
@Configuration(proxyBeanMethods = false)
class OpsConsoleConfiguration implements WebMvcConfigurer {

    static final String CONSOLE = "/ops/";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/ops", CONSOLE);
        registry.addViewController(CONSOLE).setViewName("forward:" + CONSOLE + "index.html");
    }

    /**
     * The console's pages may only run the engine's own scripts and talk to the engine, and may not be framed: the
     * token an operator pastes stays with this origin.
     */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> opsConsoleHeaders() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (!request.getRequestURI().startsWith(OpsApiController.BASE + "/")) {
                    response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
                    response.setHeader("X-Content-Type-Options", "nosniff");
                    response.setHeader("Referrer-Policy", "no-referrer");
                    // Always revalidated, so an engine upgrade never runs with an older script from the browser's cache.
                    response.setHeader("Cache-Control", "no-cache");
                }
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns("/ops", CONSOLE + "*");
        return registration;
    }
}
