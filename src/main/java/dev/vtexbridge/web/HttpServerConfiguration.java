package dev.vtexbridge.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/** Body limits for every path, and the platform-http engine with its separate pools (see {@link PlatformHttpPools}). */
@Configuration(proxyBeanMethods = false)
class HttpServerConfiguration {

    @Bean
    RequestBodyLimiter requestBodyLimiter(ObjectProvider<HttpEntryPoint> entryPoints, HttpProperties http, ObjectMapper json) {
        HttpEntryPoint everythingElse = new HttpEntryPoint("engine", "/", http.maxBodyBytes(), false,
                (response, status, code, message) ->
                        ApiError.write(response, json, HttpStatus.valueOf(status), code.toLowerCase(), message));
        return new RequestBodyLimiter(entryPoints.orderedStream().toList(), everythingElse, http.bodyReadTimeout(),
                http.maxBufferedBytes());
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimiter> requestBodyLimiterRegistration(RequestBodyLimiter limiter) {
        FilterRegistrationBean<RequestBodyLimiter> registration = new FilterRegistrationBean<>(limiter);
        registration.addUrlPatterns("/*");
        registration.setOrder(FilterOrder.BODY_LIMIT);
        return registration;
    }

    /** Camel looks the engine up by this name; defining it replaces the starter's single-pool engine. */
    @Bean("platform-http-engine")
    PlatformHttpPools platformHttpEngine(@Value("${server.port:8080}") int port, RequestBodyLimiter entryPoints,
                                         HttpProperties http) {
        return new PlatformHttpPools(port, entryPoints, http);
    }
}
