package dev.vtexbridge.config;

import dev.vtexbridge.vtex.VtexProperties;
import org.apache.camel.Ordered;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts of the outgoing http/https components (calls to VTEX, ERPs and marketplaces), and no retries inside the
 * HTTP client: its own retry of a 429 or 503 would hold the thread and bypass the error policy (redelivery, deferral).
 * Applied last: the http starter's own customizer also sets these (from camel.component.http.*, retries on by default)
 * and customizers of equal order run in no fixed order, so without it the settings held in some runs only.
 * <p>
 * One connection pool for every endpoint of the component. A flow's URI names its SKU or order
 * ({@code …/stockkeepingunitbyid/4711}), so each SKU is an endpoint of its own, and without a pool on the component
 * Camel gives each endpoint its own pool and TLS context: a new connection (and TLS handshake) per SKU, and some
 * 50 KB held by each of the up to 1,000 endpoints a {@code toD} keeps. With it, calls to one host reuse its
 * keep-alive connections whatever the path.
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
            if (http.getClientConnectionManager() == null) {
                http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(http.getMaxTotalConnections())
                        .setMaxConnPerRoute(http.getConnectionsPerRoute())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(vtex.connectTimeout().toMillis()))
                                .setSocketTimeout(Timeout.ofMilliseconds(vtex.readTimeout().toMillis()))
                                // a keep-alive connection the other side may have closed is checked before reuse
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build());
            }
        });
    }
}
