package dev.vtexbridge.ops;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class OpsApiConfiguration {

    @Bean
    FilterRegistrationBean<OpsTokenFilter> opsTokenFilter(@Value("${bridge.ops.token:}") String token, Environment environment,
                                                          ObjectMapper json) {
        Map<String, String> named = Binder.get(environment)
                .bind("bridge.ops.tokens", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        FilterRegistrationBean<OpsTokenFilter> registration = new FilterRegistrationBean<>(new OpsTokenFilter(token, named, json));
        registration.addUrlPatterns(OpsApiController.BASE + "/*");
        return registration;
    }
}
