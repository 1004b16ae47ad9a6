package dev.vtexbridge.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link StrictJson} with {@code bridge.http.json.*}, and the engine's ObjectMapper (Spring MVC's for the ops API and
 * the sandbox, the ERP events' reader) on a factory with the same limits, refusing trailing tokens.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    StrictJson strictJson(JsonLimits limits) {
        return new StrictJson(limits);
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictJsonObjectMapper(StrictJson strict) {
        return builder -> builder.factory(strict.factory())
                .featuresToEnable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
