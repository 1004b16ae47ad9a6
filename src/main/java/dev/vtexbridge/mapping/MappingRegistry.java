package dev.vtexbridge.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vtexbridge.sync.PriceRules;
import dev.vtexbridge.sync.StockRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternUtils;
import org.springframework.stereotype.Component;

/**
 * Loads the mapping files from {@code ${bridge.mappings-location}} (the mappings folder, or the jar's copy), validates
 * each one, and reloads a file when its content changes ({@code mappings-reload} route). A file that fails to parse
 * or validate keeps its previous version in force, and {@link #status()} says why (also at
 * {@code GET /ops/api/mappings}). Listeners hear about every successful change, and whose mappings it changed
 * (blocked SKUs are then retried there).
 * <p>
 * A connection may overlay any of these files: {@code connections/<id>/<file>} replaces {@code <file>} for connection
 * {@code <id>} alone ({@link #forConnection}). An overlay that is not valid at start-up stops the engine, naming it; at a
 * later reload it keeps its previous version, as the base files do.
 */
@Component("mappingRegistry")
public class MappingRegistry {

    private static final Logger log = LoggerFactory.getLogger(MappingRegistry.class);
    public static final String CATEGORIES = "categories.yaml";
    public static final String BRANDS = "brands.yaml";
    public static final String ATTRIBUTES = "attributes.yaml";
    public static final String IMAGES = "images.yaml";
    public static final String TEMPLATE = "offer-template.jslt";
    public static final String PRICE_RULES = "price-rules.yaml";
    public static final String STOCK_RULES = "stock-rules.yaml";
    /** Folder of the per-connection overlays, {@code connections/<id>/<file>}. */
    public static final String CONNECTIONS = "connections/";

    /** How one file stands: the version in force (content hash), when it was loaded, and the last load error. */
    public record FileStatus(String file, boolean loaded, String loadedAt, String error) {
    }

    /**
     * What a reload changed: a base file (every connection's mappings, as those without an overlay of it read it) and
     * the connections whose overlay files changed, came or went.
     */
    public record Change(boolean baseFiles, Set<String> overlays) {

        /** Whether the connection's mappings may differ from before. */
        public boolean concerns(String connection) {
            return baseFiles || overlays.contains(connection);
        }
    }

    private record Loaded(Object value, String content, Instant at) {
    }

    /** How a file is read, and what stands for it when it does not exist (null: it is required). */
    private record Kind(Function<String, Object> parser, Object whenMissing) {
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ResourcePatternResolver resources;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final String location;
    private final Clock clock;
    private final Map<String, Loaded> files = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
    private volatile Mappings current;
    private volatile Map<String, Mappings> overlaid = Map.of();

    public MappingRegistry(ResourceLoader resources, @Value("${bridge.mappings-location}") String location, Clock clock) {
        this.resources = ResourcePatternUtils.getResourcePatternResolver(resources);
        this.location = location;
        this.clock = clock;
        kinds.put(CATEGORIES, new Kind(text -> valid(yaml(text, CategoryMap.class), CategoryMap::problems), new CategoryMap(null)));
        kinds.put(BRANDS, new Kind(text -> valid(yaml(text, BrandMap.class), BrandMap::problems), new BrandMap(null)));
        kinds.put(ATTRIBUTES, new Kind(text -> valid(yaml(text, AttributeMap.class), AttributeMap::problems), new AttributeMap(null, null)));
        kinds.put(IMAGES, new Kind(text -> valid(yaml(text, ImageRules.class), ImageRules::problems), new ImageRules(null, null, null)));
        kinds.put(TEMPLATE, new Kind(OfferTemplate::compile, null));
        kinds.put(PRICE_RULES, new Kind(text -> valid(yaml(text, PriceRules.class), PriceRules::problems), new PriceRules(null, null, null, null, null)));
        kinds.put(STOCK_RULES, new Kind(text -> valid(yaml(text, StockRules.class), StockRules::problems), new StockRules(null)));
        reloadIfChanged();
        errors.keySet().stream().filter(file -> file.startsWith(CONNECTIONS)).findFirst().ifPresent(file -> {
            throw new IllegalStateException("The mapping overlay " + location + file + " is not valid: " + errors.get(file));
        });
        log.info("Mappings loaded from {}{}{}", location, overlaid.isEmpty() ? "" : ", overlays for " + overlaid.keySet(),
                errors.isEmpty() ? "" : " with errors: " + errors);
    }

    /** The mappings of connection {@code default}: the files of {@code mappings/} alone. */
    public Mappings current() {
        return current;
    }

    /** The mappings of one connection: {@link #current()} with that connection's overlay files in place. */
    public Mappings forConnection(String connection) {
        return overlaid.getOrDefault(connection, current);
    }

    public void onChange(Consumer<Change> listener) {
        listeners.add(listener);
    }

    public synchronized List<FileStatus> status() {
        List<FileStatus> status = new ArrayList<>();
        for (String file : kinds.keySet()) {
            status.add(statusOf(file));
        }
        files.keySet().stream().filter(file -> file.startsWith(CONNECTIONS)).sorted().forEach(file -> status.add(statusOf(file)));
        errors.keySet().stream().filter(file -> file.startsWith(CONNECTIONS) && !files.containsKey(file)).sorted()
                .forEach(file -> status.add(statusOf(file)));
        return status;
    }

    private FileStatus statusOf(String file) {
        Loaded loaded = files.get(file);
        return new FileStatus(file, loaded != null, loaded == null ? null : loaded.at().toString(), errors.get(file));
    }

    /** Re-reads every file; returns whether a new set of mappings came into force. */
    public synchronized boolean reloadIfChanged() {
        boolean baseChanged = false;
        for (Map.Entry<String, Kind> kind : kinds.entrySet()) {
            baseChanged |= load(kind.getKey(), kind.getValue().parser(), kind.getValue().whenMissing());
        }
        Set<String> overlaysChanged = reloadOverlays();
        boolean changed = baseChanged || !overlaysChanged.isEmpty();
        if (changed || current == null) {
            current = mappingsOf(null);
            overlaid = overlays();
            if (changed) {
                Change change = new Change(baseChanged, Set.copyOf(overlaysChanged));
                listeners.forEach(listener -> listener.accept(change));
            }
        }
        return changed;
    }

    /** Loads the overlay files there are now, and forgets those that were removed; returns whose changed. */
    private Set<String> reloadOverlays() {
        List<String> present = overlayFiles();
        Set<String> changed = new TreeSet<>();
        for (String file : present) {
            Kind kind = kinds.get(file.substring(file.lastIndexOf('/') + 1));
            boolean isNew = !files.containsKey(file);
            // load() counts a file's first version as no change (the base files' first load makes the first set)
            if (load(file, kind.parser(), null) || isNew && files.containsKey(file)) {
                changed.add(connectionOf(file));
            }
        }
        for (String gone : new ArrayList<>(files.keySet())) {
            if (gone.startsWith(CONNECTIONS) && !present.contains(gone)) {
                files.remove(gone);
                log.info("Mapping overlay {} removed", gone);
                changed.add(connectionOf(gone));
            }
        }
        errors.keySet().removeIf(file -> file.startsWith(CONNECTIONS) && !present.contains(file));
        return changed;
    }

    /** The connection id of an overlay file, {@code connections/<id>/<file>}. */
    private static String connectionOf(String overlayFile) {
        return overlayFile.substring(CONNECTIONS.length(), overlayFile.lastIndexOf('/'));
    }

    /** {@code connections/<id>/<file>} for every file of a known name under the overlay folder. */
    private List<String> overlayFiles() {
        List<String> found = new ArrayList<>();
        try {
            Resource folder = resources.getResource(location + CONNECTIONS);
            if (!folder.exists()) {
                return found;
            }
            // The pattern matches at depth two only, so the last two segments are the id and the file: comparing with
            // the folder's URL would miss every file of a relative location (file:./mappings/), which resolves absolute.
            for (Resource resource : resources.getResources(location + CONNECTIONS + "*/*")) {
                String[] segments = resource.getURL().toString().split("/");
                String id = segments[segments.length - 2];
                String file = segments[segments.length - 1];
                if (kinds.containsKey(file)) {
                    found.add(CONNECTIONS + id + "/" + file);
                }
            }
        } catch (IOException e) {
            // no overlay folder: nothing to overlay
        }
        return found;
    }

    /** Each connection that has an overlay, with its mappings: the base files with its own files in their place. */
    private Map<String, Mappings> overlays() {
        Map<String, Mappings> byConnection = new LinkedHashMap<>();
        files.keySet().stream().filter(file -> file.startsWith(CONNECTIONS))
                .map(MappingRegistry::connectionOf).distinct()
                .forEach(connection -> byConnection.put(connection, mappingsOf(connection)));
        return Map.copyOf(byConnection);
    }

    /** The files in force for a connection (null: the base files alone). */
    private Mappings mappingsOf(String connection) {
        return new Mappings(value(connection, CATEGORIES), value(connection, BRANDS), value(connection, ATTRIBUTES),
                value(connection, IMAGES), value(connection, TEMPLATE), value(connection, PRICE_RULES),
                value(connection, STOCK_RULES));
    }

    /** The connection's own version of a file where it has one, else the base file's. */
    private <T> T value(String connection, String file) {
        T own = connection == null ? null : value(CONNECTIONS + connection + "/" + file);
        return own != null ? own : value(file);
    }

    @SuppressWarnings("unchecked")
    private <T> T value(String file) {
        Loaded loaded = files.get(file);
        return loaded == null ? null : (T) loaded.value();
    }

    /** Loads one file when its content differs from the version in force; a failure keeps that version. */
    private boolean load(String file, Function<String, Object> parser, Object whenMissing) {
        String content;
        try {
            content = read(file);
        } catch (IOException e) {
            errors.put(file, "cannot read: " + e.getMessage());
            return false;
        }
        Loaded previous = files.get(file);
        if (content == null) {
            if (whenMissing == null) {
                errors.put(file, "missing: the file is required");
                return false;
            }
            errors.remove(file);
            if (previous == null || previous.content() != null) {
                files.put(file, new Loaded(whenMissing, null, clock.instant()));
                return previous != null;
            }
            return false;
        }
        if (previous != null && content.equals(previous.content())) {
            return false;
        }
        try {
            Object value = parser.apply(content);
            files.put(file, new Loaded(value, content, clock.instant()));
            if (errors.remove(file) != null || previous != null) {
                log.info("Mapping file {} (re)loaded", file);
            }
            return previous != null;
        } catch (RuntimeException e) {
            String why = e.getMessage();
            if (!why.equals(errors.put(file, why))) {
                log.warn("Mapping file {} is not valid; {}: {}", file,
                        previous == null ? "it is not in force" : "the previous version stays in force", why);
            }
            return false;
        }
    }

    private String read(String file) throws IOException {
        Resource resource = resources.getResource(location + file);
        if (!resource.exists()) {
            return null;
        }
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private <T> T yaml(String text, Class<T> type) {
        try {
            T value = yaml.readValue(text, type);
            if (value == null) {
                throw new IllegalArgumentException("the file is empty");
            }
            return value;
        } catch (IOException e) {
            String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? location(e) + json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException(message, e);
        }
    }

    private static String location(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json && json.getLocation() != null) {
            return "line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ": ";
        }
        return "";
    }

    private static <T> T valid(T value, Function<T, List<String>> problems) {
        List<String> found = problems.apply(value);
        if (!found.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", found));
        }
        return value;
    }
}
