package dev.vtexbridge.testkit;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import dev.vtexbridge.VtexBridgeApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts a whole engine ("test" profile, random port, fresh data folder) for an integration test that controls its
 * life; the properties are passed as command-line arguments, so they win as environment variables would.
 */
public final class EngineLauncher {

    private EngineLauncher() {
    }

    public static ConfigurableApplicationContext start(String name, Map<String, String> properties) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("bridge.data-dir", freshDataDir(name).toString());
        all.put("test.remote-url", "http://localhost:9");
        all.putAll(properties);
        return new SpringApplicationBuilder(VtexBridgeApplication.class).profiles("test")
                .run(all.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }

    /** A new, empty data folder (database, broker journal, drop folders) under target/it-data. */
    public static Path freshDataDir(String name) {
        return Path.of("target", "it-data", name + "-" + UUID.randomUUID()).toAbsolutePath();
    }

    public static String baseUrl(ConfigurableApplicationContext engine) {
        return "http://localhost:" + ((WebServerApplicationContext) engine).getWebServer().getPort();
    }
}
