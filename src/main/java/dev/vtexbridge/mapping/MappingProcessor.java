package dev.vtexbridge.mapping;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The SPI for mapping steps a seller writes in Java, for what the mapping files cannot express. Implement
 * {@link #map}, register the class as a Spring bean, and name the bean in a flow:
 * <pre>
 * - process:
 *     ref: myPackagingProcessor      # runs on the SKU being mapped
 * </pre>
 * A processor reads the ERP data ({@link MappingContext#erp()}), enriches the template input
 * ({@link MappingContext#model()}) or, after the template ran, the suggestion body ({@link MappingContext#suggestion()}),
 * and reports problems with {@link MappingContext#error}: a SKU with errors is not sent and shows them in its offer status.
 * The built-in steps (category, brand, attribute, image mapping, price and stock rules, offer template) are processors too.
 */
public interface MappingProcessor extends Processor {

    void map(MappingContext context);

    @Override
    default void process(Exchange exchange) {
        MappingContext context = exchange.getProperty(MappingContext.PROPERTY, MappingContext.class);
        if (context == null) {
            throw new IllegalStateException("no SKU is being mapped here: run offerMapping.start before a mapping processor");
        }
        map(context);
    }
}
