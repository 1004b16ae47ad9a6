package dev.vtexbridge.connections;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** The test route seller-request-echo: what the servlet request and the Camel message say about the path. */
public class SellerRequestEcho {

    private static final ObjectMapper JSON = new ObjectMapper();

    public void echo(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        HttpServletRequest request = ((PlatformHttpMessage) in).getRequest();
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("requestUri", request.getRequestURI());
        seen.put("requestUrl", request.getRequestURL().toString());
        seen.put("servletPath", request.getServletPath());
        seen.put("pathInfo", request.getPathInfo());
        seen.put("connectionHeaders", Collections.list(request.getHeaders(Connection.HTTP_HEADER)));
        seen.put("camelHttpUri", in.getHeader(Exchange.HTTP_URI));
        seen.put("camelHttpUrl", in.getHeader(Exchange.HTTP_URL));
        seen.put("camelHttpPath", in.getHeader(Exchange.HTTP_PATH));
        seen.put("item", in.getHeader("item"));
        seen.put("connection", in.getHeader(Connection.HEADER));
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(JSON.writeValueAsBytes(seen));
    }
}
