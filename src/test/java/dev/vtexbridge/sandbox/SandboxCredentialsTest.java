package dev.vtexbridge.sandbox;

import java.time.Duration;
import java.util.Map;

import dev.vtexbridge.sandbox.SandboxCredentials.Verdict;
import dev.vtexbridge.vtex.VtexProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The credential rules without a running engine, including the default run's "no app key configured". */
class SandboxCredentialsTest {

    @Test
    void withoutAConfiguredAppKeyEveryCallIsAccepted() {
        SandboxCredentials open = new SandboxCredentials(vtex(null, null));

        assertThat(open.check(new MockHttpServletRequest())).isEqualTo(Verdict.ACCEPTED);
        assertThat(open.check(request("any-key", "any-token"))).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void withAConfiguredAppKeyOnlyThatPairPasses() {
        SandboxCredentials issued = new SandboxCredentials(vtex("key-1", "token-1"));

        assertThat(issued.check(request("key-1", "token-1"))).isEqualTo(Verdict.ACCEPTED);
        assertThat(issued.check(request("key-1", "token-2"))).isEqualTo(Verdict.WRONG);
        assertThat(issued.check(request("key-2", "token-1"))).isEqualTo(Verdict.WRONG);
        assertThat(issued.check(request("key-1", ""))).isEqualTo(Verdict.MISSING);
        assertThat(issued.check(new MockHttpServletRequest())).isEqualTo(Verdict.MISSING);
    }

    private static MockHttpServletRequest request(String key, String token) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("x-vtex-api-appkey", key);
        request.addHeader("X-VTEX-API-AppToken", token);
        return request;
    }

    private static VtexProperties vtex(String appKey, String appToken) {
        return new VtexProperties("sandboxmarketplace", "vtexcommercestable", "bridgeseller", appKey, appToken,
                "http://localhost/sandbox/vtex", "http://localhost/sandbox/vtex/sandboxmarketplace",
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(2), Map.of());
    }
}
