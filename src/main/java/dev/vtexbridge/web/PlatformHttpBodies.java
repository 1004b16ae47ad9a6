package dev.vtexbridge.web;

import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every platform-http route (seller endpoints, ERP webhook, a platform-http ERP order-events trigger) gets its request
 * body as the bytes that were sent. By default the Spring Boot platform-http consumer reads it through the request's
 * {@code Reader}, which decodes it on the way and turns bytes that are not UTF-8 into U+FFFD: {@link StrictJson} could
 * then no longer refuse them, and a broken body would be taken as a different, valid one. For Spring Boot,
 * {@code useStreaming} only switches from that {@code Reader} to the {@code InputStream}; the body is in memory anyway
 * ({@link RequestBodyLimiter}) and stream-cached for the route as before.
 * <p>
 * An {@link EndpointStrategy} bean is registered on the Camel context and sees each endpoint before its consumer exists.
 */
@Configuration(proxyBeanMethods = false)
class PlatformHttpBodies {

    @Bean
    EndpointStrategy platformHttpBodiesAsBytes() {
        return (uri, endpoint) -> {
            if (endpoint instanceof PlatformHttpEndpoint http) {
                http.setUseStreaming(true);
            }
            return endpoint;
        };
    }
}
