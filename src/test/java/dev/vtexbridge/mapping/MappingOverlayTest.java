package dev.vtexbridge.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A file under {@code mappings/connections/<id>/} replaces the same-named file of {@code mappings/} for that connection
 * alone; it comes and goes with reloads, and one that is broken at start-up stops the engine.
 */
class MappingOverlayTest {

    private static final String OUTLET_STOCK = """
            rules:
              - channel: "*"
                warehouses: ["main"]
                allocationPercent: 50
            """;

    @TempDir
    Path mappings;

    @BeforeEach
    void copyTheBundledMappings() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, mappings.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void anOverlayFileReplacesItsBaseFileForItsConnectionOnly() throws IOException {
        overlay("outlet", MappingRegistry.STOCK_RULES, OUTLET_STOCK);

        MappingRegistry registry = registry();

        assertThat(registry.forConnection("outlet").stock().rules()).singleElement()
                .satisfies(rule -> assertThat(rule.allocationPercent()).isEqualTo(50));
        assertThat(registry.forConnection("outlet").prices()).as("not overlaid: the base file")
                .isSameAs(registry.current().prices());
        assertThat(registry.current().stock().rules()).singleElement()
                .satisfies(rule -> assertThat(rule.allocationPercent()).isEqualTo(100));
        assertThat(registry.forConnection("default")).isSameAs(registry.current());
        assertThat(registry.forConnection("other")).as("a connection without overlay").isSameAs(registry.current());
        assertThat(registry.status()).anySatisfy(file -> {
            assertThat(file.file()).isEqualTo("connections/outlet/stock-rules.yaml");
            assertThat(file.loaded()).isTrue();
        });
    }

    @Test
    void overlaysComeAndGoWithReloads() throws IOException {
        MappingRegistry registry = registry();
        assertThat(registry.forConnection("outlet")).isSameAs(registry.current());

        Path file = overlay("outlet", MappingRegistry.STOCK_RULES, OUTLET_STOCK);
        assertThat(registry.reloadIfChanged()).isTrue();
        assertThat(registry.forConnection("outlet").stock().rules().get(0).allocationPercent()).isEqualTo(50);

        // A broken edit keeps the version in force, and says why.
        Files.writeString(file, "rules: [{allocationPercent: 500}]");
        assertThat(registry.reloadIfChanged()).isFalse();
        assertThat(registry.forConnection("outlet").stock().rules().get(0).allocationPercent()).isEqualTo(50);
        assertThat(registry.status()).anySatisfy(status -> {
            assertThat(status.file()).isEqualTo("connections/outlet/stock-rules.yaml");
            assertThat(status.error()).isNotBlank();
        });

        Files.delete(file);
        assertThat(registry.reloadIfChanged()).isTrue();
        assertThat(registry.forConnection("outlet")).isSameAs(registry.current());
    }

    @Test
    void aBrokenOverlayAtStartUpStopsTheEngineNamingIt() throws IOException {
        overlay("outlet", MappingRegistry.PRICE_RULES, "rules: [{markupPercent: \"lots\"}]");

        assertThatThrownBy(this::registry).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connections/outlet/price-rules.yaml");
    }

    private Path overlay(String connection, String file, String content) throws IOException {
        Path folder = Files.createDirectories(mappings.resolve("connections").resolve(connection));
        return Files.writeString(folder.resolve(file), content);
    }

    private MappingRegistry registry() {
        return new MappingRegistry(new DefaultResourceLoader(), mappings.toUri().toString(), Clock.systemUTC());
    }
}
