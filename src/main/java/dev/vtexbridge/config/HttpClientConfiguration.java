package dev.vtexbridge.config;

import dev.vtexbridge.vtex.VtexProperties;
import org.apache.camel.Ordered;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts of the outgoing http/https components (calls to VTEX, ERPs and marketplaces), and no retries inside the
 * HTTP client: its own retry of a 429 or 503 would hold the thread and bypass the error policy (redelivery, deferral).
 * Applied last: the http starter's own customizer also sets these (from camel.component.http.*, retries on by default)
 * and customizers of equal order run in no fixed order, so without it the settings held in some runs only.
 */
@Configuration(proxyBeanMethods = false)
public class HttpClientConfiguration {

    @Bean
    ComponentCustomizer httpTimeouts(VtexProperties vtex) {
        return ComponentCustomizer.builder(HttpComponent.class).withOrder(Ordered.LOWEST).build(http -> {
            http.setConnectTimeout(vtex.connectTimeout().toMillis());
            http.setConnectionRequestTimeout(vtex.connectTimeout().toMillis());
            http.setResponseTimeout(vtex.readTimeout().toMillis());
            http.setAutomaticRetriesDisabled(true);
        });
    }
}
