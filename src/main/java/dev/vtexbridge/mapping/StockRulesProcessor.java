package dev.vtexbridge.mapping;

import java.util.Map;

import dev.vtexbridge.model.StockLevel;
import org.springframework.stereotype.Component;

/** ERP stock → exposed quantity by {@code stock-rules.yaml} ({@code model.stock.available}). */
@Component("stockRulesProcessor")
public class StockRulesProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        StockLevel stock = context.erp().stock();
        Map<String, Integer> exposed = context.mappings().stock().expose(context.salesChannel(),
                stock == null ? Map.of() : stock.warehouses());
        int available = exposed.values().stream().mapToInt(Integer::intValue).sum();
        context.availableQuantity(available);
        context.model().putObject("stock").put("available", available);
    }
}
