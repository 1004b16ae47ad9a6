package dev.vtexbridge.mapping;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * Runs {@code offer-template.jslt} on the mapped model and checks the suggestion body it produced for what VTEX
 * requires (vtex-protocol.md §2.3 B2), so a gap shows up as a mapping error rather than a 400 from the marketplace.
 * Does nothing when earlier steps already failed (their errors say more).
 */
@Component("offerTemplateProcessor")
public class OfferTemplateProcessor implements MappingProcessor {

    private static final List<String> REQUIRED_TEXT = List.of("ProductName", "ProductId", "ProductDescription", "BrandName",
            "SkuName", "SellerId", "CategoryFullPath");

    @Override
    public void map(MappingContext context) {
        if (context.failed()) {
            return;
        }
        OfferTemplate template = context.mappings().template();
        if (template == null) {
            context.error("template", MappingRegistry.TEMPLATE + " is missing or was never valid");
            return;
        }
        JsonNode body;
        try {
            body = template.apply(context.model());
        } catch (RuntimeException e) {
            context.error("template", MappingRegistry.TEMPLATE + " failed: " + e.getMessage());
            return;
        }
        if (!(body instanceof ObjectNode suggestion)) {
            context.error("template", MappingRegistry.TEMPLATE + " must produce a JSON object");
            return;
        }
        for (String field : REQUIRED_TEXT) {
            if (!suggestion.path(field).isTextual() || suggestion.path(field).asText().isBlank()) {
                context.error(field, "required by VTEX, empty after the template");
            }
        }
        if (suggestion.path("ProductName").asText().length() > 150) {
            context.error("ProductName", "at most 150 characters");
        }
        for (String dimension : List.of("Height", "Width", "Length", "Weight")) {
            if (!suggestion.path(dimension).isNumber()) {
                context.error(dimension, "required by VTEX (a number), missing in the ERP data");
            }
        }
        if (suggestion.path("RefId").asText("").isBlank() && suggestion.path("EAN").asText("").isBlank()) {
            context.error("RefId/EAN", "VTEX requires at least one of them");
        }
        if (!suggestion.path("Pricing").path("SalePrice").canConvertToLong()) {
            context.error("Pricing.SalePrice", "required by VTEX, integer cents");
        }
        if (!suggestion.path("AvailableQuantity").canConvertToInt()) {
            context.error("AvailableQuantity", "required by VTEX");
        }
        context.suggestion(suggestion);
    }
}
