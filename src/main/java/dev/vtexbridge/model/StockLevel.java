package dev.vtexbridge.model;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/** Units on hand of one SKU per warehouse, as the ERP reports them; {@code updatedAt} is its version. */
public record StockLevel(String skuId, Map<String, Integer> warehouses, OffsetDateTime updatedAt) {

    public StockLevel {
        warehouses = warehouses == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(warehouses));
    }

    public int total() {
        return warehouses.values().stream().mapToInt(Integer::intValue).sum();
    }
}
