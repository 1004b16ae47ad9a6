package dev.vtexbridge.seller;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connection a seller endpoint path names, and how its request reads to the routes. */
class SellerPathsTest {

    private final SellerPaths paths = new SellerPaths("/seller");

    @Test
    void theDefaultPathAndEachConnectionsPathAreRoutedToTheOneSetOfRoutes() {
        assertThat(paths.resolve("/seller/pvt/orders")).contains(new SellerPaths.Target("default", "/seller/pvt", "/seller/pvt"));
        assertThat(paths.resolve("/seller/pvt")).contains(new SellerPaths.Target("default", "/seller/pvt", "/seller/pvt"));
        SellerPaths.Target outlet = paths.resolve("/seller/outlet-2/pvt/orders/SO-1/fulfill").orElseThrow();
        assertThat(outlet).isEqualTo(new SellerPaths.Target("outlet-2", "/seller/outlet-2/pvt", "/seller/pvt"));
        assertThat(outlet.routed("/seller/outlet-2/pvt/orders/SO-1/fulfill")).isEqualTo("/seller/pvt/orders/SO-1/fulfill");
        assertThat(paths.resolve("/seller/outlet/pvt")).map(SellerPaths.Target::connectionId).contains("outlet");
    }

    @Test
    void onlyPlainSegmentsNameAConnection() {
        for (String path : new String[] {"/seller", "/seller/", "/seller/pvtx", "/seller/outlet", "/seller/outlet/pub/x",
                "/seller/Outlet/pvt/x", "/seller/%6Futlet/pvt/x", "/seller/outlet/pvt;a=b/x", "/seller;a=b/pvt/x",
                "/seller//pvt/x", "/seller/outlet/pvt/../../pvt/orders", "/seller/pvt/./orders", "/seller/%70vt/orders",
                "/seller/" + "a".repeat(33) + "/pvt/x", "/other/pvt/x"}) {
            assertThat(paths.resolve(path)).as(path).isEmpty();
        }
    }

    @Test
    void theRequestReadsAtItsRoutedPathWithTheConnectionHeaderOnly() {
        MockHttpServletRequest sent = new MockHttpServletRequest("POST", "/app/seller/outlet/pvt/orders");
        sent.setContextPath("/app");
        sent.setServletPath("");
        sent.setPathInfo("/seller/outlet/pvt/orders");
        sent.addHeader("X-Bridge-Connection", "default");
        sent.addHeader("X-VTEX-API-AppKey", "k");

        ConnectionRequest request = new ConnectionRequest(sent, paths.resolve("/seller/outlet/pvt/orders").orElseThrow());

        assertThat(request.getRequestURI()).isEqualTo("/app/seller/pvt/orders");
        assertThat(request.getRequestURL()).hasToString("http://localhost/app/seller/pvt/orders");
        assertThat(request.getServletPath()).isEmpty();
        assertThat(request.getPathInfo()).as("under a /* servlet mapping").isEqualTo("/seller/pvt/orders");
        assertThat(request.getHeader("x-bridge-connection")).isEqualTo("outlet");
        assertThat(Collections.list(request.getHeaders("X-Bridge-Connection"))).containsExactly("outlet");
        assertThat(Collections.list(request.getHeaderNames()))
                .filteredOn(name -> name.equalsIgnoreCase("X-Bridge-Connection")).hasSize(1);
        assertThat(request.getHeader("X-VTEX-API-AppKey")).isEqualTo("k");
    }
}
