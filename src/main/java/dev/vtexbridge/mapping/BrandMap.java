package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mappings/brands.yaml}: ERP brand id → the brand name as mapped in the marketplace ({@code BrandName}).
 * <pre>
 * brands:
 *   B01: Acme
 * </pre>
 */
public record BrandMap(Map<String, String> brands) {

    public BrandMap {
        brands = brands == null ? Map.of() : new TreeMap<>(brands);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        brands.forEach((erp, name) -> {
            if (name == null || name.isBlank()) {
                problems.add("brands." + erp + ": a brand name is required");
            }
        });
        return problems;
    }
}
