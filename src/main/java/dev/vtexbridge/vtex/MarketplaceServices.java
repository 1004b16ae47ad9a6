package dev.vtexbridge.vtex;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where and how the post-order calls go: the URL is the order's {@code marketplaceServicesEndpoint} (MSE) with the
 * call's path inserted before the MSE's query string ({@code ?an=…} stays), and the method is configured per call
 * ({@code bridge.orders.marketplace-methods}): {@code POST}, {@code PATCH}, {@code PUT}, or {@code auto} = the OMS
 * methods when the MSE is a VTEX OMS ({@code …/api/oms}), the protocol's POST otherwise (vtex-protocol.md §7 Q6).
 */
@ConfigurationProperties("bridge.orders")
public record MarketplaceServices(Map<String, String> marketplaceMethods) {

    public MarketplaceServices {
        marketplaceMethods = marketplaceMethods == null ? Map.of() : Map.copyOf(marketplaceMethods);
    }

    /** The MSE with {@code path} appended to its path; query string and fragment are kept. */
    public static String join(String servicesEndpoint, String path) {
        int query = indexOfAny(servicesEndpoint, '?', '#');
        String base = query < 0 ? servicesEndpoint : servicesEndpoint.substring(0, query);
        String rest = query < 0 ? "" : servicesEndpoint.substring(query);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + path + rest;
    }

    public String url(String servicesEndpoint, PostOrderCall call, String marketplaceOrderId, String invoiceNumber) {
        return join(servicesEndpoint, call.path(marketplaceOrderId, invoiceNumber));
    }

    public String method(PostOrderCall call, String servicesEndpoint) {
        String configured = marketplaceMethods.getOrDefault(call.configKey(), "auto").trim().toUpperCase(Locale.ROOT);
        if (!"AUTO".equals(configured)) {
            return configured;
        }
        return isVtexOms(servicesEndpoint) ? call.omsMethod() : call.protocolMethod();
    }

    /** A VTEX marketplace's OMS: its services endpoint path ends in /api/oms (e.g. …/api/oms?an=luxstore). */
    static boolean isVtexOms(String servicesEndpoint) {
        int query = indexOfAny(servicesEndpoint, '?', '#');
        String path = (query < 0 ? servicesEndpoint : servicesEndpoint.substring(0, query)).toLowerCase(Locale.ROOT);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.endsWith("/api/oms");
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
