package dev.vtexbridge.sync;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

/**
 * A split's results, in a list: the body each sub-exchange ended with, on an exchange of its own. Camel's
 * GroupedBodyAggregationStrategy builds on the first sub-exchange instead, and when that one had failed and
 * been stored by the error policy, its "handled" mark is copied onto the flow's exchange, which then stops right
 * after the split: the delivery's exchange must carry only the delivery's own outcome.
 */
public class SplitResults implements AggregationStrategy {

    @Override
    @SuppressWarnings("unchecked")
    public Exchange aggregate(Exchange results, Exchange subExchange) {
        if (results == null) {
            results = new DefaultExchange(subExchange.getContext());
            results.getIn().setBody(new ArrayList<>());
        }
        ((List<Object>) results.getIn().getBody()).add(subExchange.getIn().getBody());
        return results;
    }
}
