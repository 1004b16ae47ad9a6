package dev.vtexbridge.seller;

import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.vtex.VtexErrors;
import dev.vtexbridge.web.FilterOrder;
import dev.vtexbridge.web.HttpEntryPoint;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SellerConfiguration {

    /** Every path under the base path: /seller/pvt/… (connection default) and /seller/<id>/pvt/… alike. */
    @Bean
    FilterRegistrationBean<SellerRequestGuard> sellerRequestGuard(SellerProperties seller, Connections connections,
                                                                  VtexErrors errors) {
        FilterRegistrationBean<SellerRequestGuard> registration =
                new FilterRegistrationBean<>(new SellerRequestGuard(connections, seller.basePath(), errors));
        registration.addUrlPatterns(seller.basePath() + "/*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }

    /**
     * VTEX calls these during checkout: their own threads, their own body limit, VTEX's error shape. The prefix covers
     * every connection's path ({@code /seller/<id>/pvt/…}) as well as the routed one ({@code /seller/pvt/…}).
     */
    @Bean
    HttpEntryPoint sellerEndpoints(SellerProperties seller, VtexErrors errors) {
        return new HttpEntryPoint("seller endpoints", seller.basePath() + "/", seller.maxBodyBytes(), true, errors::write);
    }

    @Bean
    VtexJsonReader vtexJsonReader(SellerProperties seller) {
        return new VtexJsonReader(seller.maxNestingDepth(), seller.maxStringLength());
    }
}
