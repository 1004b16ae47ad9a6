package dev.vtexbridge.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.Offer;
import org.springframework.stereotype.Component;

/** ERP category → VTEX category ({@code model.category}: erpId, erpName, vtexId, path); unmapped blocks the SKU. */
@Component("categoryMappingProcessor")
public class CategoryMappingProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        Offer offer = context.erp().offer();
        CategoryMap.Category category = context.mappings().categories().categories().get(offer.categoryId());
        ObjectNode node = context.model().putObject("category");
        node.put("erpId", offer.categoryId());
        node.put("erpName", offer.categoryName());
        if (category == null) {
            context.blocked("CategoryFullPath", "ERP category " + offer.categoryId() + " (" + offer.categoryName()
                    + ") has no mapping in " + MappingRegistry.CATEGORIES, "category:" + offer.categoryId());
            return;
        }
        if (category.vtexId() != null) {
            node.put("vtexId", category.vtexId());
        }
        node.put("path", category.path());
        if (category.marketplaceId() != null) {
            node.put("marketplaceId", category.marketplaceId());
        }
    }
}
