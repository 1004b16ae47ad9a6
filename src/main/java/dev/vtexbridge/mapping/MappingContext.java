package dev.vtexbridge.mapping;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.ErpProduct;

/**
 * One SKU on its way through the mapping steps: the ERP data, the mappings in force, the template input being built
 * ({@code model}: sku, product, category, brand, specifications, images, price, stock), the suggestion body once the
 * template ran, and the errors found so far. Kept as an exchange property while a flow maps.
 */
public final class MappingContext {

    public static final String PROPERTY = "BridgeMapping";

    private final ErpProduct erp;
    private final Mappings mappings;
    private final String salesChannel;
    private final ObjectNode model;
    private final List<MappingError> errors = new ArrayList<>();
    private ObjectNode suggestion;
    private Long salePrice;
    private Integer availableQuantity;

    public MappingContext(ErpProduct erp, Mappings mappings, String salesChannel, ObjectNode model) {
        this.erp = erp;
        this.mappings = mappings;
        this.salesChannel = salesChannel;
        this.model = model;
    }

    public ErpProduct erp() {
        return erp;
    }

    public String skuId() {
        return erp.offer().skuId();
    }

    public Mappings mappings() {
        return mappings;
    }

    public String salesChannel() {
        return salesChannel;
    }

    public ObjectNode model() {
        return model;
    }

    public ObjectNode suggestion() {
        return suggestion;
    }

    public void suggestion(ObjectNode body) {
        this.suggestion = body;
    }

    public Long salePrice() {
        return salePrice;
    }

    public void salePrice(Long cents) {
        this.salePrice = cents;
    }

    public Integer availableQuantity() {
        return availableQuantity;
    }

    public void availableQuantity(Integer quantity) {
        this.availableQuantity = quantity;
    }

    public void error(String field, String problem) {
        errors.add(new MappingError(field, problem, null));
    }

    public void blocked(String field, String problem, String blockedBy) {
        errors.add(new MappingError(field, problem, blockedBy));
    }

    public List<MappingError> errors() {
        return List.copyOf(errors);
    }

    public boolean failed() {
        return !errors.isEmpty();
    }
}
