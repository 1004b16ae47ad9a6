package dev.vtexbridge.config;

import dev.vtexbridge.vtex.VtexProperties;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts of the outgoing http/https components (calls to VTEX, ERPs and marketplaces), and no retries inside the
 * HTTP client: its own retry of a 429 or 503 would hold the thread and bypass the error policy (redelivery, deferral).
 */
@Configuration(proxyBeanMethods = false)
public class HttpClientConfiguration {

    @Bean
    ComponentCustomizer httpTimeouts(VtexProperties vtex) {
        return ComponentCustomizer.builder(HttpComponent.class).build(http -> {
            http.setConnectTimeout(vtex.connectTimeout().toMillis());
            http.setConnectionRequestTimeout(vtex.connectTimeout().toMillis());
            http.setResponseTimeout(vtex.readTimeout().toMillis());
            http.setAutomaticRetriesDisabled(true);
        });
    }
}
