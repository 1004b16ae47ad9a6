package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mappings/attributes.yaml}: ERP attribute name → VTEX specification field, on the SKU or the product, with an
 * optional value map. ERP attributes not listed are left out ({@code unmapped: ignore}) or block the SKU
 * ({@code unmapped: block}); a value missing from a value map passes unchanged unless {@code strictValues} is true.
 * <pre>
 * unmapped: ignore
 * attributes:
 *   color: {field: Color, level: sku, values: {Azul: Blue}, strictValues: false}
 * </pre>
 */
public record AttributeMap(String unmapped, Map<String, Attribute> attributes) {

    public record Attribute(String field, String level, Map<String, String> values, Boolean strictValues) {

        public boolean onSku() {
            return !"product".equals(level);
        }

        public boolean strict() {
            return Boolean.TRUE.equals(strictValues);
        }
    }

    public AttributeMap {
        unmapped = unmapped == null ? "ignore" : unmapped;
        attributes = attributes == null ? Map.of() : new TreeMap<>(attributes);
    }

    public boolean blockUnmapped() {
        return "block".equals(unmapped);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!List.of("ignore", "block").contains(unmapped)) {
            problems.add("unmapped: must be 'ignore' or 'block', got '" + unmapped + "'");
        }
        attributes.forEach((erp, attribute) -> {
            if (attribute == null || attribute.field() == null || attribute.field().isBlank()) {
                problems.add("attributes." + erp + ".field: required (the VTEX specification name)");
            } else if (attribute.level() != null && !List.of("sku", "product").contains(attribute.level())) {
                problems.add("attributes." + erp + ".level: must be 'sku' or 'product', got '" + attribute.level() + "'");
            }
        });
        return problems;
    }
}
