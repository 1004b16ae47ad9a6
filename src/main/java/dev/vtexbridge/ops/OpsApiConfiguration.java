package dev.vtexbridge.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OpsApiConfiguration {

    @Bean
    FilterRegistrationBean<OpsTokenFilter> opsTokenFilter(@Value("${bridge.ops.token:}") String token, ObjectMapper json) {
        FilterRegistrationBean<OpsTokenFilter> registration = new FilterRegistrationBean<>(new OpsTokenFilter(token, json));
        registration.addUrlPatterns(OpsApiController.BASE + "/*");
        return registration;
    }
}
