package dev.vtexbridge.mapping;

import org.springframework.stereotype.Component;

/** A seller's own mapping step (test): prefixes the product name with the brand, and refuses SKUs without an EAN. */
@Component("brandPrefixMappingProcessor")
public class BrandPrefixMappingProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        context.model().with("product").put("name", context.model().path("brand").path("name").asText() + " - "
                + context.erp().offer().productName());
        if (context.erp().offer().ean() == null) {
            context.error("EAN", "our marketplace contract requires an EAN");
        }
    }
}
