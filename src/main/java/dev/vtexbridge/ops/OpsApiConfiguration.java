package dev.vtexbridge.ops;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vtexbridge.errors.SecretRedactor;
import dev.vtexbridge.web.FilterOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class OpsApiConfiguration {

    @Bean
    OpsTokens opsTokens(@Value("${bridge.ops.token:}") String token, Environment environment, SecretRedactor redactor) {
        Map<String, String> named = Binder.get(environment)
                .bind("bridge.ops.tokens", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return new OpsTokens(token, named, redactor);
    }

    @Bean
    FilterRegistrationBean<OpsTokenFilter> opsTokenFilter(OpsTokens tokens, ObjectMapper json) {
        FilterRegistrationBean<OpsTokenFilter> registration = new FilterRegistrationBean<>(new OpsTokenFilter(tokens, json));
        registration.addUrlPatterns(OpsApiController.BASE + "/*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }

    /** The actuator on the engine's own port (a separate management port is not behind it: README "Security"). */
    @Bean
    FilterRegistrationBean<ActuatorGuard> actuatorGuard(WebEndpointProperties actuator, OpsTokens tokens, ObjectMapper json) {
        String base = actuator.getBasePath();
        FilterRegistrationBean<ActuatorGuard> registration = new FilterRegistrationBean<>(new ActuatorGuard(base, tokens, json));
        registration.addUrlPatterns(base, base + "/*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }
}
