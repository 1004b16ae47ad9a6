package dev.vtexbridge.marketplace;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.mapping.MappingContext;

/**
 * The offer JSON a marketplace sink receives (or a template's input), one object per SKU: {@code connection},
 * {@code skuId}, {@code productId}, {@code refId}, {@code ean}, {@code active}, {@code title}, {@code description},
 * {@code brand}, {@code category} {vtexId, vtexPath, marketplaceId}, {@code attributes} {name: value},
 * {@code images} [URL], {@code price} and {@code listPrice} (integer cents after the connection's price rules),
 * {@code stock} (after its stock rules), {@code dimensions} {height, width, length (cm), weight (g)},
 * {@code changedAt}; a delisted SKU also has {@code reason}.
 */
final class OfferJson {

    private OfferJson() {
    }

    static ObjectNode of(String connection, MappingContext context, JsonNode sku, OffsetDateTime changedAt) {
        var offer = context.erp().offer();
        JsonNode model = context.model();
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("connection", connection);
        node.put("skuId", offer.skuId());
        node.put("productId", offer.productId());
        node.put("refId", offer.refId());
        node.put("ean", offer.ean());
        node.put("active", offer.active());
        node.put("title", offer.skuName() != null ? offer.skuName() : offer.productName());
        node.put("description", offer.productDescription());
        node.set("brand", model.path("brand").path("name").isTextual() ? model.path("brand").get("name") : null);
        ObjectNode category = node.putObject("category");
        category.put("vtexId", offer.categoryId());
        category.put("vtexPath", VtexSku.categoryPath(sku));
        JsonNode marketplaceId = model.path("category").path("marketplaceId");
        category.set("marketplaceId", marketplaceId.isMissingNode() ? null : marketplaceId);
        ObjectNode attributes = node.putObject("attributes");
        for (String level : new String[] {"productSpecifications", "skuSpecifications"}) {
            for (JsonNode spec : model.path(level)) {
                StringBuilder value = new StringBuilder();
                spec.path("fieldValues").forEach(v -> value.append(value.isEmpty() ? "" : ", ").append(v.asText()));
                attributes.put(spec.path("fieldName").asText(), value.toString());
            }
        }
        var images = node.putArray("images");
        model.path("images").forEach(image -> images.add(image.path("imageUrl").asText()));
        JsonNode price = model.path("price");
        node.set("price", price.path("salePrice").isNumber() ? price.get("salePrice") : null);
        node.set("listPrice", price.path("listPrice").isNumber() ? price.get("listPrice") : null);
        node.put("stock", model.path("stock").path("available").asInt(0));
        ObjectNode dimensions = node.putObject("dimensions");
        putDecimal(dimensions, "height", offer.heightCm());
        putDecimal(dimensions, "width", offer.widthCm());
        putDecimal(dimensions, "length", offer.lengthCm());
        if (offer.weightGrams() != null) {
            dimensions.put("weight", offer.weightGrams());
        } else {
            dimensions.putNull("weight");
        }
        node.put("changedAt", changedAt == null ? null : changedAt.toString());
        return node;
    }

    /** A SKU taken off the marketplace: what is known of it, {@code active: false}, {@code stock: 0} and why. */
    static ObjectNode delisted(String connection, String skuId, String productId, String reason, OffsetDateTime changedAt) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("connection", connection);
        node.put("skuId", skuId);
        node.put("productId", productId);
        node.put("active", false);
        node.put("stock", 0);
        node.put("reason", reason);
        node.put("changedAt", changedAt == null ? null : changedAt.toString());
        return node;
    }

    private static void putDecimal(ObjectNode node, String field, java.math.BigDecimal value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
