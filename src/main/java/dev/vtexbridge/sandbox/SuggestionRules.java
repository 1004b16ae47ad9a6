package dev.vtexbridge.sandbox;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vtexbridge.sandbox.SandboxError.Violation;

/**
 * What VTEX requires of a SKU suggestion ({@code SaveSuggestionRequest}, vtex-protocol.md §2.3 B2). The spec also
 * lists {@code Updated} as required, but its own example sends it as null, so it is not checked here.
 */
final class SuggestionRules {

    private static final Pattern ISO_4217 = Pattern.compile("[A-Z]{3}");

    private SuggestionRules() {
    }

    static List<Violation> check(JsonNode body, String sellerId) {
        FieldChecks suggestion = FieldChecks.of(body);
        suggestion.text("ProductName", 150);
        suggestion.text("ProductId");
        suggestion.text("ProductDescription");
        suggestion.text("BrandName");
        suggestion.text("SkuName");
        String bodySellerId = suggestion.text("SellerId");
        if (bodySellerId != null && !bodySellerId.equals(sellerId)) {
            suggestion.reject("SellerId", "must be the seller id of the path (" + sellerId + "), got " + bodySellerId);
        }
        for (String dimension : List.of("Height", "Width", "Length", "Weight")) {
            suggestion.number(dimension);
        }
        suggestion.atLeastOne("RefId", "EAN");
        suggestion.text("CategoryFullPath");
        for (FieldChecks image : suggestion.objects("Images", 1)) {
            image.text("imageName");
            image.httpsUrl("imageUrl");
        }
        suggestion.integer("AvailableQuantity", 0);
        FieldChecks pricing = suggestion.object("Pricing");
        pricing.matches("Currency", ISO_4217, "an ISO 4217 code such as BRL");
        pricing.cents("SalePrice", 0);
        pricing.text("CurrencySymbol");
        return suggestion.violations();
    }
}
