package dev.vtexbridge.seller;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SellerConfiguration {

    @Bean
    FilterRegistrationBean<SellerRequestGuard> sellerRequestGuard(SellerProperties seller, SellerCredentials credentials,
                                                                  VtexErrors errors) {
        FilterRegistrationBean<SellerRequestGuard> registration =
                new FilterRegistrationBean<>(new SellerRequestGuard(credentials, errors, seller.maxBodyBytes()));
        registration.addUrlPatterns(seller.basePath() + "/pvt/*");
        return registration;
    }

    @Bean
    VtexJsonReader vtexJsonReader(SellerProperties seller) {
        return new VtexJsonReader(seller.maxNestingDepth(), seller.maxStringLength());
    }
}
