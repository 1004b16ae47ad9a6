package dev.vtexbridge.errors;

import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Which configured values the redactor keeps out of stored bodies, headers and error texts. */
class SecretRedactorTest {

    @Test
    void everyConfiguredCredentialIsRedacted() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("bridge.vtex.app-token", "vtex-token-1")
                .withProperty("bridge.seller.app-token", "seller-token-2")
                .withProperty("bridge.ops.token", "ops-token-3")
                .withProperty("bridge.ops.tokens.alice", "alice-token-4")
                .withProperty("bridge.ops.tokens.ci-bot", "ci-token-5")
                .withProperty("bridge.erp.webhook-token", "erp-webhook-6")
                .withProperty("spring.datasource.password", "db-password-7")
                .withProperty("bridge.erp.datasource.password", "erp-db-password-8");
        SecretRedactor redactor = new SecretRedactor(env);

        String text = "vtex-token-1 seller-token-2 ops-token-3 alice-token-4 ci-token-5 erp-webhook-6 db-password-7 "
                + "erp-db-password-8";

        assertThat(redactor.redact(text)).isEqualTo(String.join(" ", Collections.nCopies(8, SecretRedactor.REDACTED)));
    }

    @Test
    void namedOpsTokensAreFoundInEveryFormTheEnvironmentGivesThem() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("bridge.ops.tokens[alice]", "alice-token-1")
                .withProperty("bridge.ops.tokens.carol", "  carol-token-2  ");
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("BRIDGE_OPS_TOKENS_BOB", "bob-token-3")));
        SecretRedactor redactor = new SecretRedactor(env);

        assertThat(redactor.redact("a=alice-token-1 b=bob-token-3 c=carol-token-2"))
                .isEqualTo("a=[redacted] b=[redacted] c=[redacted]");
    }

    @Test
    void aSecretContainingAnotherIsRedactedWhole() {
        SecretRedactor redactor = new SecretRedactor(new MockEnvironment()
                .withProperty("bridge.ops.token", "abcd")
                .withProperty("bridge.ops.tokens.long", "abcd-efgh"));

        assertThat(redactor.redact("x abcd-efgh y abcd")).isEqualTo("x [redacted] y [redacted]");
    }

    @Test
    void tooShortValuesAndUnsetOnesAreLeftAlone() {
        SecretRedactor redactor = new SecretRedactor(new MockEnvironment()
                .withProperty("bridge.ops.tokens.tiny", "abc")
                .withProperty("bridge.erp.webhook-token", ""));

        assertThat(redactor.redact("abc and more")).isEqualTo("abc and more");
    }

    @Test
    void secretsGeneratedAtStartUpAreRedactedOnceAdded() {
        SecretRedactor redactor = new SecretRedactor(new MockEnvironment().withProperty("bridge.ops.token", "ops-token-1"));

        redactor.add("generated-ops-token-2");
        redactor.add("abc");

        assertThat(redactor.redact("ops-token-1 generated-ops-token-2 abc"))
                .isEqualTo("[redacted] [redacted] abc");
    }

    @Test
    void everyConnectionsCredentialsAreRedactedInEveryFormTheEnvironmentGivesThem() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("bridge.connections.outlet.vtex.app-key", "vtexappkey-outlet-1")
                .withProperty("bridge.connections.outlet.vtex.app-token", "outlet-vtex-token-2")
                .withProperty("bridge.connections.outlet.endpoint.app-key", "outlet-endpoint-key-3");
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of("BRIDGE_CONNECTIONS_OUTLET_ENDPOINT_APP_TOKEN", "outlet-endpoint-token-4")));
        SecretRedactor redactor = new SecretRedactor(env);

        assertThat(redactor.redact("vtexappkey-outlet-1 outlet-vtex-token-2 outlet-endpoint-key-3 outlet-endpoint-token-4"))
                .isEqualTo(String.join(" ", Collections.nCopies(4, SecretRedactor.REDACTED)));
    }
}
