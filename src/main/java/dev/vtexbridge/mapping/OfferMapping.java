package dev.vtexbridge.mapping;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.connections.Connection;
import dev.vtexbridge.connections.Connections;
import dev.vtexbridge.model.ErpProduct;
import dev.vtexbridge.model.Offer;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Starts the mapping of one SKU (the template input's {@code sellerId}, {@code sku} and {@code product} parts) and runs
 * the built-in steps in their default order for callers outside a flow (preview, completeness, benchmark):
 * category → brand → attributes → images → price rules → stock rules → offer template. A flow lists the same steps
 * itself, so an engineer can add, drop or reorder processors there.
 * <p>
 * A SKU is mapped for one connection: with its mappings ({@link MappingRegistry#forConnection}), its seller id in the
 * template input and its sales channel for the price and stock rules.
 */
@Component("offerMapping")
public class OfferMapping {

    private final MappingRegistry registry;
    private final Connections connections;
    private final String sellerId;
    private final String salesChannel;
    private final List<MappingProcessor> chain;

    public OfferMapping(MappingRegistry registry, @Value("${bridge.vtex.seller-id}") String sellerId,
                        @Value("${bridge.sync.sales-channel}") String salesChannel,
                        CategoryMappingProcessor category, BrandMappingProcessor brand,
                        AttributeMappingProcessor attributes, ImageMappingProcessor images,
                        PriceRulesProcessor price, StockRulesProcessor stock, OfferTemplateProcessor template,
                        Connections connections) {
        this.registry = registry;
        this.connections = connections;
        this.sellerId = sellerId;
        this.salesChannel = salesChannel;
        this.chain = List.of(category, brand, attributes, images, price, stock, template);
    }

    /**
     * Flow step: the body (an {@link ErpProduct}) becomes the SKU being mapped (exchange property), for the message's
     * connection (header {@value Connection#HEADER}; none: {@value Connection#DEFAULT}).
     */
    public void start(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        ErpProduct product = exchange.getIn().getMandatoryBody(ErpProduct.class);
        Connection connection = connections.require(exchange.getIn().getHeader(Connection.HEADER, Connection.DEFAULT, String.class));
        exchange.setProperty(MappingContext.PROPERTY, start(product, connection));
    }

    public MappingContext start(ErpProduct product) {
        return start(product, registry.current());
    }

    /** Starts the mapping for the connection: its mappings, seller id and sales channel. */
    public MappingContext start(ErpProduct product, Connection connection) {
        return start(product, registry.forConnection(connection.id()), connection.vtex().sellerId(),
                connection.vtex().salesChannel());
    }

    public MappingContext start(ErpProduct product, Mappings mappings) {
        return start(product, mappings, sellerId, salesChannel);
    }

    private MappingContext start(ErpProduct product, Mappings mappings, String sellerId, String salesChannel) {
        Offer offer = product.offer();
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("sellerId", sellerId);
        ObjectNode sku = model.putObject("sku");
        sku.put("id", offer.skuId());
        sku.put("name", offer.skuName());
        sku.put("ean", offer.ean());
        sku.put("refId", offer.refId());
        if (offer.weightGrams() != null) {
            sku.put("weight", offer.weightGrams());
        }
        number(sku, "height", offer.heightCm());
        number(sku, "width", offer.widthCm());
        number(sku, "length", offer.lengthCm());
        sku.put("unit", offer.measurementUnit() == null ? "un" : offer.measurementUnit());
        sku.put("multiplier", offer.unitMultiplier() == null ? 1 : offer.unitMultiplier());
        sku.put("active", offer.active());
        ObjectNode productNode = model.putObject("product");
        productNode.put("id", offer.productId());
        productNode.put("name", offer.productName());
        productNode.put("description", offer.productDescription());
        return new MappingContext(product, mappings, salesChannel, model);
    }

    /** Maps one SKU with the built-in steps and the mappings in force. */
    public MappingContext map(ErpProduct product) {
        return map(product, registry.current());
    }

    public MappingContext map(ErpProduct product, Mappings mappings) {
        return run(start(product, mappings));
    }

    /** Maps one SKU with the built-in steps as the connection's catalog flow would. */
    public MappingContext map(ErpProduct product, Connection connection) {
        return run(start(product, connection));
    }

    private MappingContext run(MappingContext context) {
        chain.forEach(step -> step.map(context));
        return context;
    }

    private static void number(ObjectNode node, String field, BigDecimal value) {
        if (value != null) {
            node.put(field, value.doubleValue());
        }
    }
}
