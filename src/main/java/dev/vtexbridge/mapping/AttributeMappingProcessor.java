package dev.vtexbridge.mapping;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

/**
 * ERP attributes → VTEX specifications ({@code model.skuSpecifications}, {@code model.productSpecifications}, each
 * {@code [{fieldName, fieldValues[]}]}) through {@code attributes.yaml}, with value maps.
 */
@Component("attributeMappingProcessor")
public class AttributeMappingProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        AttributeMap map = context.mappings().attributes();
        ArrayNode sku = context.model().putArray("skuSpecifications");
        ArrayNode product = context.model().putArray("productSpecifications");
        add(context, map, context.erp().offer().productAttributes(), sku, product);
        add(context, map, context.erp().offer().skuAttributes(), sku, product);
    }

    private static void add(MappingContext context, AttributeMap map, Map<String, String> attributes, ArrayNode sku,
                            ArrayNode product) {
        attributes.forEach((name, value) -> {
            AttributeMap.Attribute attribute = map.attributes().get(name);
            if (attribute == null) {
                if (map.blockUnmapped()) {
                    context.blocked("Specifications", "ERP attribute " + name + " has no mapping in "
                            + MappingRegistry.ATTRIBUTES, "attribute:" + name);
                }
                return;
            }
            String mapped = value;
            if (attribute.values() != null && attribute.values().containsKey(value)) {
                mapped = attribute.values().get(value);
            } else if (attribute.strict()) {
                context.blocked("Specifications." + attribute.field(), "value '" + value + "' of ERP attribute " + name
                        + " has no mapping in " + MappingRegistry.ATTRIBUTES, "attribute-value:" + name + "=" + value);
                return;
            }
            ObjectNode spec = (attribute.onSku() ? sku : product).addObject();
            spec.put("fieldName", attribute.field());
            spec.putArray("fieldValues").add(mapped);
        });
    }
}
