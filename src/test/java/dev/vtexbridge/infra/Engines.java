package dev.vtexbridge.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import dev.vtexbridge.VtexBridgeApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts whole engines (the real application, "test" profile) inside an integration test that controls their life. */
final class Engines {

    private Engines() {
    }

    /**
     * Starts the application with these properties. They are passed as command-line arguments, so they win over
     * application.yaml and application-test.yaml, as environment variables would in production.
     */
    static ConfigurableApplicationContext start(Map<String, String> properties) {
        String[] args = properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(VtexBridgeApplication.class)
                .profiles("test")
                .run(args);
    }

    /** A new, empty data folder (database and broker journal) under target/it-data. */
    static Path freshDataDir(String name) {
        return Path.of("target", "it-data", name + "-" + UUID.randomUUID()).toAbsolutePath();
    }
}
