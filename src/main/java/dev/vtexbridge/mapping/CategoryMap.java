package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mappings/categories.yaml}: ERP category id → VTEX category (its id, optional, and the
 * {@code Department/Category} path sent as {@code CategoryFullPath}). In a marketplace-role connection's overlay
 * the keys are the VTEX store's category ids and {@code marketplaceId} is the external marketplace's category id.
 * <pre>
 * categories:
 *   C01: {vtexId: 101, path: "Apparel/T-shirts"}
 * </pre>
 */
public record CategoryMap(Map<String, Category> categories) {

    public record Category(Integer vtexId, String path, String marketplaceId) {
    }

    public CategoryMap {
        categories = categories == null ? Map.of() : new TreeMap<>(categories);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        categories.forEach((erp, category) -> {
            if (category == null || category.path() == null || category.path().isBlank()) {
                problems.add("categories." + erp + ".path: required (Department/Category)");
            } else if (category.path().startsWith("/") || category.path().endsWith("/")) {
                problems.add("categories." + erp + ".path: no leading or trailing '/'");
            }
        });
        return problems;
    }
}
