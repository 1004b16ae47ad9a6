package dev.vtexbridge.seller;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.vtexbridge.vtex.VtexErrorException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The HTTP side of the fulfillment simulation (route {@code fulfillment-simulation}): reads the request, checks it,
 * and writes the {@link FulfillmentSimulator}'s answer as JSON. Reader and writer are built once; this path has
 * to stay far inside VTEX's 2.5 s limit under load.
 */
@Component("simulationHandler")
public class SimulationHandler {

    static final String PURCHASE_CONTEXT = "purchaseContext";

    private final VtexJsonReader json;
    private final ObjectReader requestReader;
    private final ObjectWriter responseWriter = new ObjectMapper().writerFor(SimulationResponse.class);
    private final FulfillmentSimulator simulator;
    private final int maxItems;
    private final QuantityLimit quantities;

    SimulationHandler(VtexJsonReader json, FulfillmentSimulator simulator, SellerProperties seller) {
        this.json = json;
        this.requestReader = json.mapper().readerFor(SimulationRequest.class);
        this.simulator = simulator;
        this.maxItems = seller.maxItems();
        this.quantities = new QuantityLimit(seller.maxQuantity());
    }

    /**
     * Answers a POST (request JSON in the body) or the legacy cache-building GET (the same JSON, URL-encoded, in
     * {@code ?purchaseContext=}). Other query parameters VTEX adds ({@code sc}, {@code an}, …) are ignored.
     */
    public void answer(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        SimulationRequest request = json.<SimulationRequest>read(requestBody(message), requestReader).validate(maxItems, quantities);
        byte[] body = responseWriter.writeValueAsBytes(simulator.simulate(OrderEndpointsHandler.connectionOf(exchange), request));
        // Request headers (the marketplace's credentials among them) would otherwise be echoed in the response.
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body);
    }

    private static byte[] requestBody(Message message) {
        if (!"GET".equals(message.getHeader(Exchange.HTTP_METHOD, String.class))) {
            return message.getBody(byte[].class);
        }
        String purchaseContext = message.getHeader(PURCHASE_CONTEXT, String.class);
        if (purchaseContext == null) {
            throw VtexErrorException.badRequest("Query parameter '" + PURCHASE_CONTEXT + "' is required on GET");
        }
        return purchaseContext.getBytes(StandardCharsets.UTF_8);
    }
}
