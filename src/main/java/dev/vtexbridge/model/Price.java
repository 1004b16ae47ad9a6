package dev.vtexbridge.model;

import java.time.OffsetDateTime;

/** The ERP price of one SKU in one price list, in integer cents; {@code updatedAt} is its version. */
public record Price(String skuId, String priceList, long price, Long listPrice, String currency, OffsetDateTime updatedAt) {
}
