package dev.vtexbridge.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conventions every flow file follows (DESIGN.md): each file under routes/ parses; each route id is the file
 * stem (or {@code <stem>-<step>}), unique across all files, and names an existing error policy; each file is in the
 * folder of its role ({@code seller/}, {@code marketplace/}), of what both use ({@code _shared/}) or of the sandbox;
 * each file under mappings/ parses.
 */
class RouteConventionTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Path MAPPINGS = Path.of("mappings");
    private static final Set<String> ROUTE_FOLDERS = Set.of("_shared", "seller", "marketplace", "sandbox");

    @Test
    void everyRouteFileFollowsTheConventions() throws Exception {
        List<Path> files = filesUnder(ROUTES, ".camel.yaml");
        assertThat(files).as("route files").isNotEmpty();
        List<String> problems = new ArrayList<>();
        Map<String, Path> owners = new HashMap<>();
        List<RouteDefinition> routes = new ArrayList<>();
        Set<String> policies;

        try (CamelContext camel = new DefaultCamelContext()) {
            // The error policy's interceptFrom is matched against each route's from-URI while the routes load, placeholders
            // resolved: any property resolves here (the engine's real values are the full-engine tests' business).
            camel.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
                @Override
                public String getName() {
                    return "any-property";
                }

                @Override
                public String getProperty(String name) {
                    return "placeholder";
                }
            });
            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            for (Path file : files) {
                int before = model.getRouteDefinitions().size();
                try {
                    PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file));
                } catch (Exception e) {
                    problems.add(file + " does not parse: " + e.getMessage());
                    continue;
                }
                for (RouteDefinition route : model.getRouteDefinitions().subList(before, model.getRouteDefinitions().size())) {
                    routes.add(route);
                    Path previous = owners.putIfAbsent(String.valueOf(route.getRouteId()), file);
                    if (previous != null && !previous.equals(file)) {
                        problems.add(file + ": route id '" + route.getRouteId() + "' is also used in " + previous);
                    }
                    checkRoute(file, route, problems);
                }
            }
            policies = model.getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).collect(Collectors.toSet());
        }
        for (RouteDefinition route : routes) {
            if (route.getRouteConfigurationId() != null && !policies.contains(route.getRouteConfigurationId())) {
                problems.add("route '" + route.getRouteId() + "' names an unknown routeConfiguration '"
                        + route.getRouteConfigurationId() + "'");
            }
        }
        assertThat(policies).contains("bridge-error-policy");
        assertThat(problems).isEmpty();
    }

    /** A flow lives in the folder of the role that runs it, with what both roles use, or with the sandbox. */
    @Test
    void everyRouteFileLivesInTheFolderOfItsRole() throws IOException {
        assertThat(filesUnder(ROUTES, ".camel.yaml")).allSatisfy(file -> assertThat(ROUTES.relativize(file.getParent()).toString())
                .as(file.toString()).isIn(ROUTE_FOLDERS));
    }

    @Test
    void everyMappingFileParses() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectMapper json = new ObjectMapper();
        List<String> problems = new ArrayList<>();
        for (Path file : filesUnder(MAPPINGS, "")) {
            String name = file.getFileName().toString();
            try {
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    yaml.readTree(file.toFile());
                } else if (name.endsWith(".json")) {
                    json.readTree(file.toFile());
                }
            } catch (IOException e) {
                problems.add(file + " does not parse: " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    private static void checkRoute(Path file, RouteDefinition route, List<String> problems) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ".camel.yaml".length());
        String id = route.getRouteId();
        if (id == null) {
            problems.add(file + ": a route has no explicit id");
        } else if (!id.equals(stem) && !id.startsWith(stem + "-")) {
            problems.add(file + ": route id '" + id + "' is neither the file stem nor '" + stem + "-<step>'");
        }
        if (route.getRouteConfigurationId() == null) {
            problems.add(file + ": route '" + id + "' has no routeConfigurationId (error policy)");
        }
    }

    private static List<Path> filesUnder(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
