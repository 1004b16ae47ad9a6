package dev.vtexbridge.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RouteStartupOrder;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Safe reload of the route files ({@code camel.main.routes-include-pattern}). Every file is first loaded into a
 * scratch Camel context that is never started (parse errors, unknown DSL, route ids used twice, unknown components and
 * properties of the consuming endpoints); only when every file passes are the running routes that came from route
 * files drained together (consumers suspended, in-flight exchanges allowed to finish, up to the shutdown timeout),
 * removed and replaced by the files' routes. Should the new routes fail to start, the previous definitions are put
 * back. Routes built in Java are left alone.
 */
@Service
public class RouteReloadService {

    private static final Logger log = LoggerFactory.getLogger(RouteReloadService.class);

    private final CamelContext camel;
    private final String patterns;

    public RouteReloadService(CamelContext camel, @Value("${camel.main.routes-include-pattern}") String patterns) {
        this.camel = camel;
        this.patterns = patterns;
    }

    public record FileResult(String file, boolean ok, List<String> routes, List<String> routeConfigurations, String error) {
    }

    public record Result(boolean reloaded, List<FileResult> files, List<String> removed, List<String> started, String error) {
    }

    public synchronized Result reload() {
        List<Resource> resources;
        try {
            resources = routeFiles();
        } catch (Exception e) {
            return new Result(false, List.of(), List.of(), List.of(), "cannot list the route files: " + e.getMessage());
        }
        List<FileResult> checks = new ArrayList<>();
        Map<String, String> routeOwners = new LinkedHashMap<>();
        for (Resource resource : resources) {
            FileResult check = check(resource);
            if (check.ok()) {
                for (String id : check.routes()) {
                    String other = routeOwners.putIfAbsent(id, resource.getLocation());
                    if (other != null) {
                        check = new FileResult(check.file(), false, check.routes(), check.routeConfigurations(),
                                "route id '" + id + "' is also defined in " + other);
                    }
                }
            }
            checks.add(check);
        }
        if (checks.stream().anyMatch(check -> !check.ok())) {
            log.warn("Route reload refused, the running routes stay: {}", checks.stream().filter(check -> !check.ok())
                    .map(check -> check.file() + ": " + check.error()).collect(Collectors.joining("; ")));
            return new Result(false, checks, List.of(), List.of(), "some route files do not load; nothing was changed");
        }
        return swap(resources, checks);
    }

    private List<Resource> routeFiles() throws Exception {
        Set<Resource> found = new LinkedHashSet<>();
        for (String pattern : patterns.split(",")) {
            if (!pattern.isBlank()) {
                found.addAll(PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern.trim()));
            }
        }
        List<Resource> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> a.getLocation().compareTo(b.getLocation()));
        return sorted;
    }

    /** Loads one file into a context that is never started. */
    private FileResult check(Resource resource) {
        try (DefaultCamelContext scratch = new DefaultCamelContext(false)) {
            scratch.build();
            PluginHelper.getRoutesLoader(scratch).loadRoutes(resource);
            List<String> ids = new ArrayList<>();
            for (RouteDefinition route : scratch.getRouteDefinitions()) {
                ids.add(route.getRouteId());
                String uri = route.getInput().getEndpointUri();
                String resolved = camel.resolvePropertyPlaceholders(uri);
                int colon = resolved.indexOf(':');
                String scheme = colon > 0 ? resolved.substring(0, colon) : resolved;
                if (camel.getComponent(scheme, true) == null) {
                    throw new IllegalArgumentException("route " + route.getRouteId() + ": no component '" + scheme + "' for " + uri);
                }
            }
            List<String> configurations = scratch.getRouteConfigurationDefinitions().stream()
                    .map(RouteConfigurationDefinition::getId).filter(java.util.Objects::nonNull).toList();
            return new FileResult(resource.getLocation(), true, ids, configurations, null);
        } catch (Exception | LinkageError e) {
            return new FileResult(resource.getLocation(), false, List.of(), List.of(), describe(e));
        }
    }

    private Result swap(List<Resource> resources, List<FileResult> checks) {
        ModelCamelContext model = (ModelCamelContext) camel;
        List<RouteDefinition> previous = model.getRouteDefinitions().stream()
                .filter(definition -> fromRouteFile(definition.getResource())).toList();
        List<String> ids = previous.stream().map(RouteDefinition::getRouteId).toList();
        List<RouteDefinition> saved = new ArrayList<>(previous);
        // The route configurations (error policy) the files define again.
        Set<String> configurationIds = checks.stream().flatMap(check -> check.routeConfigurations().stream())
                .collect(Collectors.toSet());
        List<RouteConfigurationDefinition> configurations = model.getRouteConfigurationDefinitions().stream()
                .filter(definition -> fromRouteFile(definition.getResource()) || configurationIds.contains(definition.getId())).toList();
        try {
            drain(ids);
            for (String id : ids) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
        } catch (Exception e) {
            log.error("Route reload: stopping the running routes failed; starting them again", e);
            restart(ids);
            return new Result(false, checks, List.of(), List.of(), "stopping the running routes failed: " + describe(e));
        }
        try {
            for (RouteConfigurationDefinition configuration : configurations) {
                model.removeRouteConfiguration(configuration);
            }
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources);
        } catch (Exception e) {
            log.error("Route reload: the new routes did not start; putting the previous ones back", e);
            try {
                for (Route route : List.copyOf(camel.getRoutes())) {
                    if (fromRouteFile(route.getSourceResource())) {
                        camel.getRouteController().stopRoute(route.getRouteId());
                        camel.removeRoute(route.getRouteId());
                    }
                }
                for (RouteConfigurationDefinition configuration : List.copyOf(model.getRouteConfigurationDefinitions())) {
                    if (fromRouteFile(configuration.getResource()) || configurationIds.contains(configuration.getId())) {
                        model.removeRouteConfiguration(configuration);
                    }
                }
                model.addRouteConfigurations(configurations);
                model.addRouteDefinitions(saved);
            } catch (Exception restore) {
                log.error("Route reload: putting the previous routes back failed", restore);
            }
            return new Result(false, checks, ids, List.of(), "the new routes did not start (previous ones restored): " + describe(e));
        }
        List<String> started = camel.getRoutes().stream().filter(route -> fromRouteFile(route.getSourceResource()))
                .map(Route::getRouteId).sorted().toList();
        log.info("Routes reloaded from {} file(s): {} removed, {} started", resources.size(), ids.size(), started.size());
        return new Result(true, checks, ids, started, null);
    }

    /** Suspends the consumers of all these routes at once and waits for their in-flight exchanges. */
    private void drain(Collection<String> ids) throws Exception {
        List<RouteStartupOrder> orders = camel.getCamelContextExtension().getRouteStartupOrder().stream()
                .filter(order -> ids.contains(order.getRoute().getRouteId())).toList();
        camel.getShutdownStrategy().suspend(camel, new ArrayList<>(orders));
    }

    private void restart(List<String> ids) {
        for (String id : ids) {
            try {
                camel.getRouteController().startRoute(id);
            } catch (Exception e) {
                log.error("Route {} could not be started again", id, e);
            }
        }
    }

    /**
     * Whether a route (or route configuration) came from a route file. A RouteBuilder's routes carry a resource too,
     * {@code source:<class>}: they are not the files' to remove.
     */
    private static boolean fromRouteFile(Resource resource) {
        return resource != null && !"source".equals(resource.getScheme());
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(" <- ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
