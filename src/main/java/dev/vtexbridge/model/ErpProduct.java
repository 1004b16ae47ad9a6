package dev.vtexbridge.model;

/**
 * Everything the ERP knows of one SKU: catalog data, price (may be null: not priced yet) and stock (may be null).
 * This is the input of the mappings, of the preview ({@code POST /ops/api/mappings/preview}) and of reconciliation.
 */
public record ErpProduct(Offer offer, Price price, StockLevel stock) {
}
