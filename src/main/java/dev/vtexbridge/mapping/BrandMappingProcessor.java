package dev.vtexbridge.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.Offer;
import org.springframework.stereotype.Component;

/** ERP brand → the marketplace's brand name ({@code model.brand}: erpId, erpName, name); unmapped blocks the SKU. */
@Component("brandMappingProcessor")
public class BrandMappingProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        Offer offer = context.erp().offer();
        String name = context.mappings().brands().brands().get(offer.brandId());
        ObjectNode node = context.model().putObject("brand");
        node.put("erpId", offer.brandId());
        node.put("erpName", offer.brandName());
        if (name == null) {
            context.blocked("BrandName", "ERP brand " + offer.brandId() + " (" + offer.brandName() + ") has no mapping in "
                    + MappingRegistry.BRANDS, "brand:" + offer.brandId());
            return;
        }
        node.put("name", name);
    }
}
