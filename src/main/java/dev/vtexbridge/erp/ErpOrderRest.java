package dev.vtexbridge.erp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.schibsted.spt.data.jslt.Expression;
import com.schibsted.spt.data.jslt.Parser;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;

/**
 * The REST sink of the order leg: the request body comes from a JSLT template in {@code mappings/} applied to the
 * canonical message ({@code bridge.erp.orders.rest.order-template} for a released order, {@code cancel-template} for
 * a cancellation); the ERP's order id is read from its answer at {@code bridge.erp.orders.rest.order-id-pointer}.
 */
@Component("erpOrderRest")
public class ErpOrderRest {

    private final ResourceLoader resources;
    private final ObjectMapper json;
    private final String mappingsLocation;
    private final Map<String, String> templateByType;
    private final String orderIdPointer;
    private final Map<String, Expression> compiled = new ConcurrentHashMap<>();

    public ErpOrderRest(ResourceLoader resources, ObjectMapper json,
                        @Value("${bridge.mappings-location}") String mappingsLocation,
                        @Value("${bridge.erp.orders.rest.order-template}") String orderTemplate,
                        @Value("${bridge.erp.orders.rest.cancel-template}") String cancelTemplate,
                        @Value("${bridge.erp.orders.rest.order-id-pointer}") String orderIdPointer) {
        this.resources = resources;
        this.json = json;
        this.mappingsLocation = mappingsLocation;
        this.templateByType = Map.of(ErpOrder.RELEASED, orderTemplate, ErpOrderCancellation.CANCELLED, cancelTemplate);
        this.orderIdPointer = orderIdPointer;
    }

    /** Replaces the canonical message with the ERP's request body. */
    public void render(Exchange exchange) throws IOException {
        Message message = exchange.getIn();
        String template = templateByType.get(message.getHeader(ErpSinkHeaders.EVENT_TYPE, String.class));
        JsonNode request = template(template).apply(json.readTree(message.getBody(String.class)));
        message.setBody(json.writeValueAsString(request));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
    }

    /** Reads the ERP's order id from its answer to a released order. */
    public void acknowledge(Exchange exchange) throws IOException {
        Message message = exchange.getIn();
        String answer = message.getBody(String.class);
        JsonNode id = answer == null || answer.isBlank() ? null : json.readTree(answer).at(orderIdPointer);
        if (id != null && !id.isMissingNode() && !id.isNull()) {
            message.setHeader(ErpSinkHeaders.ERP_ORDER_ID, id.asText());
        }
        message.setHeader(ErpSinkHeaders.ERP_REFERENCE, "REST " + message.getHeader(Exchange.HTTP_RESPONSE_CODE));
    }

    /** Compiled on first use, so an engine on another sink needs no template. */
    Expression template(String name) {
        return compiled.computeIfAbsent(name, file -> {
            Resource resource = resources.getResource(mappingsLocation + file);
            try (InputStream in = resource.getInputStream()) {
                return Parser.compileString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the template " + resource.getDescription(), e);
            }
        });
    }
}
