package dev.vtexbridge.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml stays true to the code and the README: every variable it sets on an engine is a setting the
 * engine has (in application.yaml, or a Spring Boot property), is listed in the README, and both engine instances
 * get the same ones; every service the README's table names is in the file, and the other way round.
 */
class DockerComposeTest {

    private static Map<String, Object> services;
    private static String readme;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
        readme = Files.readString(Path.of("README.md"));
    }

    @Test
    void everyEngineVariableIsASettingOfTheEngineAndListedInTheReadme() throws IOException {
        Set<String> settings = settings();
        Map<String, String> environment = environment("engine-1");
        assertThat(environment).isNotEmpty();

        assertThat(environment.keySet().stream().filter(variable -> !settings.contains(relaxed(variable))))
                .as("variables that are no setting of the engine").isEmpty();
        assertThat(environment.keySet().stream().filter(variable -> !readme.contains("`" + variable + "`")))
                .as("variables missing from the README").isEmpty();
    }

    @Test
    void theTwoEngineInstancesAreIdenticalButForTheirPortAndDataVolume() {
        assertThat(environment("engine-2")).isEqualTo(environment("engine-1"));
        assertThat(service("engine-2").get("build")).isEqualTo(service("engine-1").get("build"));
        assertThat(service("engine-2").get("ports")).isNotEqualTo(service("engine-1").get("ports"));
    }

    @Test
    void theServicesTheReadmeNamesAreTheServicesOfTheFile() {
        String section = readme.substring(readme.indexOf("### docker compose"));
        section = section.substring(0, section.indexOf("\n| Variable |"));
        Set<String> named = new HashSet<>();
        Matcher rows = Pattern.compile("(?m)^\\| (`[^|]+)\\|").matcher(section);
        while (rows.find()) {
            Matcher names = Pattern.compile("`([a-z0-9-]+)`").matcher(rows.group(1));
            while (names.find()) {
                named.add(names.group(1));
            }
        }
        assertThat(named).containsExactlyInAnyOrderElementsOf(services.keySet());
    }

    /** Every setting the engine reads, in relaxed form: application.yaml's keys and placeholders, Spring Boot's properties. */
    private static Set<String> settings() throws IOException {
        Set<String> settings = new HashSet<>();
        String yaml = Files.readString(Path.of("src/main/resources/application.yaml"));
        flatten("", new Yaml().load(yaml), settings);
        Matcher placeholders = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):").matcher(yaml);
        while (placeholders.find()) {
            settings.add(placeholders.group(1));
        }
        ObjectMapper json = new ObjectMapper();
        for (URL url : Collections.list(DockerComposeTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    settings.add(relaxed(property.path("name").asText()));
                }
            }
        }
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, into));
        } else {
            into.add(relaxed(prefix));
        }
    }

    /**
     * A property name or environment variable as Spring's relaxed binding compares them, upper case without separators
     * (in a variable an underscore stands for a dot, and a dash is dropped).
     */
    private static String relaxed(String name) {
        return name.replaceAll("[-._]", "").toUpperCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) {
        Map<String, String> environment = new LinkedHashMap<>();
        ((Map<String, Object>) service(name).getOrDefault("environment", Map.of()))
                .forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

}
