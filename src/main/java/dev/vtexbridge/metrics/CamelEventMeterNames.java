package dev.vtexbridge.metrics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifierNamingStrategy;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.stereotype.Component;

/**
 * Keeps Camel's exchange event timer ({@code camel.exchange.event.notifier}) to a bounded set of series, by wrapping
 * the naming strategy {@code camel.metrics.*} gave it:
 * <ul>
 *   <li>Its {@code endpointName} is the URI sent to, and an HTTP call's URI carries a SKU or order id
 *   ({@code …/stockkeepingunitbyid/4711}): one timer per SKU, a registry that grows with the catalogue and a lookup per
 *   exchange that gets slower with it. An http(s) endpoint is named by its scheme and host only; which VTEX API was
 *   called is in {@code bridge_vtex_*}.</li>
 *   <li>It is tagged with {@code routeId} only when the exchange came from a route; one a ProducerTemplate created
 *   (the ops replay, the order endpoints' hand-offs) has none. Prometheus takes one set of tag keys per meter name, so
 *   whichever kind came second was logged as refused and never counted. Such exchanges get {@code routeId=""}.</li>
 * </ul>
 */
@Component
class CamelEventMeterNames implements CamelContextConfiguration {

    private static final String ENDPOINT = "endpointName";
    private static final String ROUTE = "routeId";
    private static final Pattern HTTP_HOST = Pattern.compile("^(https?)://([^/?#]+)", Pattern.CASE_INSENSITIVE);

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        camel.getManagementStrategy().getEventNotifiers().forEach(notifier -> {
            if (notifier instanceof MicrometerExchangeEventNotifier exchanges
                    && !(exchanges.getNamingStrategy() instanceof Bounded)) {
                exchanges.setNamingStrategy(new Bounded(exchanges.getNamingStrategy()));
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
    }

    /** An http(s) URI down to its scheme and host; anything else as it is. */
    static String endpointName(String uri) {
        Matcher host = HTTP_HOST.matcher(uri);
        return host.find() ? host.group(1).toLowerCase(java.util.Locale.ROOT) + "://" + host.group(2) : uri;
    }

    record Bounded(MicrometerExchangeEventNotifierNamingStrategy names) implements MicrometerExchangeEventNotifierNamingStrategy {

        @Override
        public String getName(Exchange exchange, Endpoint endpoint) {
            return names.getName(exchange, endpoint);
        }

        @Override
        public boolean isBaseEndpointURI() {
            return names.isBaseEndpointURI();
        }

        @Override
        public String formatName(String name) {
            return names.formatName(name);
        }

        @Override
        public String getInflightExchangesName() {
            return names.getInflightExchangesName();
        }

        @Override
        public Tags getInflightExchangesTags(CamelContext camel, String routeId) {
            return names.getInflightExchangesTags(camel, routeId);
        }

        @Override
        public Tags getTags(CamelEvent.ExchangeEvent event, Endpoint endpoint) {
            Tags tags = names.getTags(event, endpoint);
            String uri = tags.stream().filter(tag -> tag.getKey().equals(ENDPOINT)).map(tag -> tag.getValue()).findFirst().orElse(null);
            if (uri != null) {
                tags = tags.and(ENDPOINT, endpointName(uri));
            }
            if (tags.stream().noneMatch(tag -> tag.getKey().equals(ROUTE))) {
                tags = tags.and(ROUTE, "");
            }
            return tags;
        }
    }
}
