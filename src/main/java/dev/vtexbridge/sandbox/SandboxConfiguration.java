package dev.vtexbridge.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnSandbox
class SandboxConfiguration {

    /** Base path of the simulated VTEX marketplace; bridge.vtex.api-url points here while the sandbox is on. */
    static final String VTEX_BASE = "/sandbox/vtex";

    @Bean
    FilterRegistrationBean<VtexGatewayFilter> vtexGatewayFilter(SandboxCredentials credentials, CallRecorder recorder,
                                                                SandboxCallLog calls, ObjectMapper json,
                                                                SandboxProperties properties) {
        var filter = new VtexGatewayFilter(credentials, recorder, calls, json, properties.maxRecordedBody());
        FilterRegistrationBean<VtexGatewayFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(VTEX_BASE + "/*");
        return registration;
    }

    /** The simulated VTEX store's calls are recorded too; it takes the calls of every connection it serves. */
    @Bean
    FilterRegistrationBean<VtexGatewayFilter> sandboxStoreFilter(CallRecorder recorder, SandboxCallLog calls,
                                                                 ObjectMapper json, SandboxProperties properties) {
        var filter = new VtexGatewayFilter(null, recorder, calls, json, properties.maxRecordedBody());
        FilterRegistrationBean<VtexGatewayFilter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns(SandboxStore.BASE + "/*");
        return registration;
    }
}
