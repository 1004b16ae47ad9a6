package dev.vtexbridge.marketplace;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.model.Offer;

/**
 * A VTEX store's SKU ({@code GET /api/catalog_system/pvt/sku/stockkeepingunitbyid/{skuId}}, Catalog API) as the
 * canonical {@link Offer} the mapping processors read: its category is the leaf of {@code ProductCategoryIds}, its
 * brand {@code BrandId}, its attributes the SKU and product specifications (values joined by ", "), its images
 * {@code Images[].ImageUrl}, its dimensions {@code Dimension} (cm, grams). Field names are read case-insensitively.
 */
final class VtexSku {

    private VtexSku() {
    }

    static Offer toOffer(JsonNode sku, OffsetDateTime changedAt) {
        List<String> categoryIds = categoryIds(sku);
        String categoryId = categoryIds.isEmpty() ? null : categoryIds.get(categoryIds.size() - 1);
        JsonNode names = field(sku, "ProductCategories");
        JsonNode dimension = field(sku, "Dimension");
        JsonNode alternate = field(sku, "AlternateIds");
        List<Offer.Image> images = new ArrayList<>();
        for (JsonNode image : field(sku, "Images")) {
            String url = text(image, "ImageUrl");
            if (url != null && !url.isBlank()) {
                images.add(new Offer.Image(text(image, "ImageName"), url));
            }
        }
        if (images.isEmpty() && text(sku, "ImageUrl") != null) {
            images.add(new Offer.Image(null, text(sku, "ImageUrl")));
        }
        String refId = text(alternate, "RefId");
        boolean active = field(sku, "IsActive").asBoolean(false)
                && (field(sku, "IsProductActive").isMissingNode() || field(sku, "IsProductActive").asBoolean(false));
        return new Offer(text(sku, "Id"), text(sku, "ProductId"), text(sku, "ProductName"), text(sku, "ProductDescription"),
                text(sku, "NameComplete") != null ? text(sku, "NameComplete") : text(sku, "SkuName"), categoryId,
                categoryId == null ? null : text(names, categoryId), text(sku, "BrandId"), text(sku, "BrandName"),
                text(alternate, "Ean"), refId != null ? refId : text(sku, "ProductRefId"),
                dimension.path("weight").isNumber() ? (int) Math.round(dimension.path("weight").asDouble()) : null,
                decimal(dimension, "height"), decimal(dimension, "width"), decimal(dimension, "length"),
                text(sku, "MeasurementUnit"), field(sku, "UnitMultiplier").isNumber()
                        ? (int) Math.round(field(sku, "UnitMultiplier").asDouble()) : null,
                active, images, specifications(field(sku, "ProductSpecifications")),
                specifications(field(sku, "SkuSpecifications")), changedAt);
    }

    /** The category ids from the department down to the SKU's own, from {@code ProductCategoryIds} ("/1/10/"). */
    static List<String> categoryIds(JsonNode sku) {
        List<String> ids = new ArrayList<>();
        String path = text(sku, "ProductCategoryIds");
        if (path != null) {
            for (String id : path.split("/")) {
                if (!id.isBlank()) {
                    ids.add(id.trim());
                }
            }
        }
        return ids;
    }

    /** The category names from the department down, joined by "/": the SKU's category path in the store. */
    static String categoryPath(JsonNode sku) {
        JsonNode names = field(sku, "ProductCategories");
        List<String> path = new ArrayList<>();
        for (String id : categoryIds(sku)) {
            String name = text(names, id);
            path.add(name == null ? id : name);
        }
        return path.isEmpty() ? null : String.join("/", path);
    }

    private static Map<String, String> specifications(JsonNode specifications) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode spec : specifications) {
            String name = text(spec, "FieldName");
            List<String> fieldValues = new ArrayList<>();
            field(spec, "FieldValues").forEach(value -> fieldValues.add(value.asText()));
            if (name != null && !fieldValues.isEmpty()) {
                values.put(name, String.join(", ", fieldValues));
            }
        }
        return values;
    }

    /** A field by name, whatever its case; a missing node when absent. */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        JsonNode exact = node.get(name);
        if (exact != null) {
            return exact;
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            if (candidate.equalsIgnoreCase(name)) {
                return node.get(candidate);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static String text(JsonNode node, String name) {
        JsonNode value = field(node, name);
        return value.isMissingNode() || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static BigDecimal decimal(JsonNode node, String name) {
        JsonNode value = field(node, name);
        return value.isNumber() ? value.decimalValue() : null;
    }
}
