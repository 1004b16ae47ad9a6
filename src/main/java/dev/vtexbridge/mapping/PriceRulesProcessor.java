package dev.vtexbridge.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vtexbridge.model.Price;
import dev.vtexbridge.sync.PriceRules;
import org.springframework.stereotype.Component;

/** ERP price → selling price by {@code price-rules.yaml} ({@code model.price}: salePrice, listPrice in cents, currency). */
@Component("priceRulesProcessor")
public class PriceRulesProcessor implements MappingProcessor {

    @Override
    public void map(MappingContext context) {
        PriceRules rules = context.mappings().prices();
        Price price = context.erp().price();
        ObjectNode node = context.model().putObject("price");
        node.put("currency", rules.currency());
        node.put("currencySymbol", rules.currencySymbol());
        if (price == null) {
            context.error("Pricing.SalePrice", "the ERP has no price for this SKU in price list " + rules.priceList());
            return;
        }
        long sale = rules.sellingPrice(context.salesChannel(), context.erp().offer().categoryId(), price.price());
        context.salePrice(sale);
        node.put("salePrice", sale);
        node.put("listPrice", Math.max(sale, price.listPrice() == null ? sale : price.listPrice()));
    }
}
