package dev.vtexbridge.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How much the sandbox remembers of the calls it answered ({@code bridge.sandbox.*}). */
@ConfigurationProperties("bridge.sandbox")
public record SandboxProperties(
        @DefaultValue("1000") int maxRecordedCalls,
        @DefaultValue("65536") int maxRecordedBody,
        @DefaultValue("5s") java.time.Duration approvalDelay,
        @DefaultValue("true") boolean callSimulation) {
}
