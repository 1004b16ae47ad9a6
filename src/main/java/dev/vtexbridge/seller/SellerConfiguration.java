package dev.vtexbridge.seller;

import dev.vtexbridge.web.FilterOrder;
import dev.vtexbridge.web.HttpEntryPoint;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SellerConfiguration {

    @Bean
    FilterRegistrationBean<SellerRequestGuard> sellerRequestGuard(SellerProperties seller, SellerCredentials credentials,
                                                                  VtexErrors errors) {
        FilterRegistrationBean<SellerRequestGuard> registration =
                new FilterRegistrationBean<>(new SellerRequestGuard(credentials, errors));
        registration.addUrlPatterns(seller.basePath() + "/pvt/*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }

    /** VTEX calls these during checkout: their own threads, their own body limit, VTEX's error shape. */
    @Bean
    HttpEntryPoint sellerEndpoints(SellerProperties seller, VtexErrors errors) {
        return new HttpEntryPoint("seller endpoints", seller.basePath() + "/", seller.maxBodyBytes(), true, errors::write);
    }

    @Bean
    VtexJsonReader vtexJsonReader(SellerProperties seller) {
        return new VtexJsonReader(seller.maxNestingDepth(), seller.maxStringLength());
    }
}
