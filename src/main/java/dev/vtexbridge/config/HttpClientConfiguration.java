package dev.vtexbridge.config;

import dev.vtexbridge.vtex.VtexProperties;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Timeouts of the outgoing http/https components (calls to VTEX, ERPs and marketplaces). */
@Configuration(proxyBeanMethods = false)
public class HttpClientConfiguration {

    @Bean
    ComponentCustomizer httpTimeouts(VtexProperties vtex) {
        return ComponentCustomizer.builder(HttpComponent.class).build(http -> {
            http.setConnectTimeout(vtex.connectTimeout().toMillis());
            http.setConnectionRequestTimeout(vtex.connectTimeout().toMillis());
            http.setResponseTimeout(vtex.readTimeout().toMillis());
        });
    }
}
