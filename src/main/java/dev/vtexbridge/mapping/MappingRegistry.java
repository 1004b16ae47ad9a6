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
import org.springframework.stereotype.Component;

/**
 * Loads the mapping files from {@code ${bridge.mappings-location}} (the mappings folder, or the jar's copy), validates
 * each one, and reloads a file when its content changes ({@code mappings-reload} route). A file that fails to parse
 * or validate keeps its previous version in force, and {@link #status()} says why (also at
 * {@code GET /ops/api/mappings}). Listeners hear about every successful change (blocked SKUs are then retried).
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

    /** How one file stands: the version in force (content hash), when it was loaded, and the last load error. */
    public record FileStatus(String file, boolean loaded, String loadedAt, String error) {
    }

    private record Loaded(Object value, String content, Instant at) {
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final ResourceLoader resources;
    private final String location;
    private final Clock clock;
    private final Map<String, Loaded> files = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final List<Consumer<Mappings>> listeners = new CopyOnWriteArrayList<>();
    private volatile Mappings current;

    public MappingRegistry(ResourceLoader resources, @Value("${bridge.mappings-location}") String location, Clock clock) {
        this.resources = resources;
        this.location = location;
        this.clock = clock;
        reloadIfChanged();
        log.info("Mappings loaded from {}{}", location, errors.isEmpty() ? "" : " with errors: " + errors);
    }

    public Mappings current() {
        return current;
    }

    public void onChange(Consumer<Mappings> listener) {
        listeners.add(listener);
    }

    public synchronized List<FileStatus> status() {
        List<FileStatus> status = new ArrayList<>();
        for (String file : List.of(CATEGORIES, BRANDS, ATTRIBUTES, IMAGES, TEMPLATE, PRICE_RULES, STOCK_RULES)) {
            Loaded loaded = files.get(file);
            status.add(new FileStatus(file, loaded != null, loaded == null ? null : loaded.at().toString(), errors.get(file)));
        }
        return status;
    }

    /** Re-reads every file; returns whether a new set of mappings came into force. */
    public synchronized boolean reloadIfChanged() {
        boolean changed = false;
        changed |= load(CATEGORIES, text -> valid(yaml(text, CategoryMap.class), CategoryMap::problems), new CategoryMap(null));
        changed |= load(BRANDS, text -> valid(yaml(text, BrandMap.class), BrandMap::problems), new BrandMap(null));
        changed |= load(ATTRIBUTES, text -> valid(yaml(text, AttributeMap.class), AttributeMap::problems), new AttributeMap(null, null));
        changed |= load(IMAGES, text -> valid(yaml(text, ImageRules.class), ImageRules::problems), new ImageRules(null, null, null));
        changed |= load(TEMPLATE, OfferTemplate::compile, null);
        changed |= load(PRICE_RULES, text -> valid(yaml(text, PriceRules.class), PriceRules::problems), new PriceRules(null, null, null, null, null));
        changed |= load(STOCK_RULES, text -> valid(yaml(text, StockRules.class), StockRules::problems), new StockRules(null));
        if (changed || current == null) {
            current = new Mappings(value(CATEGORIES), value(BRANDS), value(ATTRIBUTES), value(IMAGES), value(TEMPLATE),
                    value(PRICE_RULES), value(STOCK_RULES));
            if (changed) {
                Mappings now = current;
                listeners.forEach(listener -> listener.accept(now));
            }
        }
        return changed;
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
