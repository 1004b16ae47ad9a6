package dev.vtexbridge.erp;

import dev.vtexbridge.vtex.VtexErrors;
import dev.vtexbridge.web.FilterOrder;
import dev.vtexbridge.web.HttpEntryPoint;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ErpWebhookConfiguration {

    @Bean
    FilterRegistrationBean<ErpWebhookGuard> erpWebhookGuard(ErpWebhook webhook, VtexErrors errors) {
        FilterRegistrationBean<ErpWebhookGuard> registration = new FilterRegistrationBean<>(new ErpWebhookGuard(webhook, errors));
        registration.addUrlPatterns(ErpWebhookGuard.BASE + "*");
        registration.setOrder(FilterOrder.CREDENTIALS);
        return registration;
    }

    @Bean
    HttpEntryPoint erpWebhookEntryPoint(@Value("${bridge.erp.webhook-max-body-bytes}") long maxBodyBytes, VtexErrors errors) {
        return new HttpEntryPoint("ERP webhook", ErpWebhookGuard.BASE, maxBodyBytes, false, errors::write);
    }
}
