package dev.vtexbridge.marketplace;

import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.vtex.VtexErrors;
import dev.vtexbridge.web.FilterOrder;
import dev.vtexbridge.web.HttpEntryPoint;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The External Marketplace role's HTTP entry point: {@code /marketplace/<id>/api/notification}, guarded on its
 * headers and query ({@link MarketplaceNotificationGuard}), bodies up to {@code bridge.http.max-body-bytes}, refusals
 * in VTEX's error shape as for the other VTEX-facing paths.
 */
@Configuration(proxyBeanMethods = false)
class MarketplaceConfiguration {

    @Bean
    FilterRegistrationBean<MarketplaceNotificationGuard> marketplaceNotificationGuard(Connections connections,
                                                                                     VtexErrors errors) {
        FilterRegistrationBean<MarketplaceNotificationGuard> registration =
                new FilterRegistrationBean<>(new MarketplaceNotificationGuard(connections, errors));
        registration.addUrlPatterns(MarketplaceNotificationGuard.BASE + "*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }

    @Bean
    HttpEntryPoint marketplaceNotificationsEntryPoint(@Value("${bridge.http.max-body-bytes}") long maxBodyBytes,
                                                      VtexErrors errors) {
        return new HttpEntryPoint("marketplace notifications", MarketplaceNotificationGuard.BASE, maxBodyBytes, false,
                errors::write);
    }
}
