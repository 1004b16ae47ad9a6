package dev.vtexbridge.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One ERP change event, as it travels on the durable channels (catalog, price, stock) and as Kafka, JMS, the
 * webhook and CSV files deliver it (README: "ERP events"). Only {@code sku} is required; an event without values
 * makes the flow read the current values from the ERP.
 *
 * @param kind       catalog, price or stock (set from the channel or webhook path when absent)
 * @param sku        the seller SKU id
 * @param updatedAt  version of the change; older than what was applied already: ignored
 * @param price      price: selling price in currency units (e.g. 49.90)
 * @param listPrice  price: list ("from") price in currency units
 * @param priceList  price: the ERP price list (default: the one price-rules.yaml names)
 * @param warehouse  stock: one warehouse ...
 * @param quantity   stock: ... and its units on hand
 * @param warehouses stock: all warehouses of the SKU with their units (replaces every warehouse)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErpChange(String kind, String sku, OffsetDateTime updatedAt, BigDecimal price, BigDecimal listPrice,
                        String priceList, String warehouse, Integer quantity, Map<String, Integer> warehouses) {

    public static final String CATALOG = "catalog";
    public static final String PRICE = "price";
    public static final String STOCK = "stock";

    public static ErpChange of(String kind, String sku, OffsetDateTime updatedAt) {
        return new ErpChange(kind, sku, updatedAt, null, null, null, null, null, null);
    }

    public ErpChange withKind(String newKind) {
        return new ErpChange(newKind, sku, updatedAt, price, listPrice, priceList, warehouse, quantity, warehouses);
    }

    /** Whether the event carries the new values itself (else they are read from the ERP). */
    public boolean carriesValues() {
        return PRICE.equals(kind) ? price != null : STOCK.equals(kind) && (warehouses != null || (warehouse != null && quantity != null));
    }
}
