package dev.vtexbridge.model;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The canonical catalog data of one seller SKU, whatever ERP it came from: product and SKU names, category and
 * brand (ERP ids and names), identifiers, dimensions (cm, grams), images and attributes. {@code updatedAt} is the
 * version: the newest ERP change it reflects.
 */
public record Offer(
        String skuId,
        String productId,
        String productName,
        String productDescription,
        String skuName,
        String categoryId,
        String categoryName,
        String brandId,
        String brandName,
        String ean,
        String refId,
        Integer weightGrams,
        BigDecimal heightCm,
        BigDecimal widthCm,
        BigDecimal lengthCm,
        String measurementUnit,
        Integer unitMultiplier,
        boolean active,
        List<Image> images,
        Map<String, String> productAttributes,
        Map<String, String> skuAttributes,
        OffsetDateTime updatedAt) {

    public Offer {
        images = images == null ? List.of() : List.copyOf(images);
        productAttributes = productAttributes == null ? Map.of() : Map.copyOf(productAttributes);
        skuAttributes = skuAttributes == null ? Map.of() : Map.copyOf(skuAttributes);
    }

    /** One image: a label and the ERP's file name (a URL, or a path the image rules complete). */
    public record Image(String label, String fileName) {
    }
}
