package dev.vtexbridge.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seller flows' default triggers as derived from application.yaml and the ERP datasource URL: the plain poll on H2
 * (unchanged), the claiming poll on PostgreSQL, and an explicit setting always winning.
 */
public class ErpChangeTriggersTest {

    /** The stock trigger of the demo ERP (H2): a poll of the pending rows, one exchange per poll, marked processed together. */
    private static final String PLAIN_STOCK_POLL = "sql:SELECT change_id, sku_id, changed_at FROM erp_change"
            + " WHERE entity = 'stock' AND processed_at IS NULL ORDER BY change_id?delay=2000&maxMessagesPerPoll=500"
            + "&useIterator=false"
            + "&onConsume=RAW(UPDATE erp_change SET processed_at = CURRENT_TIMESTAMP WHERE change_id IN (:#in:erpChangeIds))";

    @Test
    void theEmbeddedDemoErpKeepsThePlainPoll() throws IOException {
        ConfigurableEnvironment env = environment(Map.of());
        assertThat(env.getProperty("bridge.erp.datasource.url")).startsWith("jdbc:h2:");
        assertThat(env.getProperty("bridge.stock.trigger")).isEqualTo(PLAIN_STOCK_POLL);
        assertThat(env.getProperty("bridge.price.trigger")).isEqualTo(PLAIN_STOCK_POLL.replace("'stock'", "'price'"));
        assertThat(env.getProperty("bridge.catalog.trigger")).isEqualTo(PLAIN_STOCK_POLL.replace("'stock'", "'catalog'"));
        assertThat(env.getProperty("bridge.erp.claim-changes", Boolean.class)).isFalse();
    }

    @Test
    void anErpOnH2GivenByUrlKeepsThePlainPoll() throws IOException {
        ConfigurableEnvironment env = environment(Map.of("bridge.erp.datasource.url", "jdbc:h2:mem:erp;MODE=PostgreSQL"));
        assertThat(env.getProperty("bridge.stock.trigger")).isEqualTo(PLAIN_STOCK_POLL);
    }

    @Test
    void anErpOnPostgresClaimsItsRows() throws IOException {
        ConfigurableEnvironment env = environment(Map.of(
                "bridge.erp.datasource.url", "jdbc:postgresql://erp:5432/erp",
                "bridge.erp.poll-batch", "200",
                "bridge.erp.claim-lease", "90s"));
        assertThat(env.getProperty("bridge.erp.claim-changes", Boolean.class)).isTrue();
        assertThat(env.getProperty("bridge.stock.trigger")).isEqualTo("sql:WITH claimed AS (UPDATE erp_change"
                + " SET claimed_until = CURRENT_TIMESTAMP + INTERVAL '90000 milliseconds' WHERE change_id IN"
                + " (SELECT change_id FROM erp_change WHERE entity = 'stock' AND processed_at IS NULL"
                + " AND (claimed_until IS NULL OR claimed_until < CURRENT_TIMESTAMP) ORDER BY change_id LIMIT 200"
                + " FOR UPDATE SKIP LOCKED) RETURNING change_id, sku_id, changed_at)"
                + " SELECT change_id, sku_id, changed_at FROM claimed ORDER BY change_id"
                + "?delay=2000&maxMessagesPerPoll=200&useIterator=false"
                + "&onConsume=RAW(UPDATE erp_change SET processed_at = CURRENT_TIMESTAMP WHERE change_id IN (:#in:erpChangeIds))"
                + "&onConsumeFailed=RAW(UPDATE erp_change SET claimed_until = NULL WHERE change_id IN (:#in:erpChangeIds)"
                + " AND processed_at IS NULL)");
        assertThat(env.getProperty("bridge.catalog.trigger")).contains("entity = 'catalog'").contains("FOR UPDATE SKIP LOCKED");
        assertThat(env.getProperty("bridge.price.trigger")).contains("entity = 'price'").contains("FOR UPDATE SKIP LOCKED");
    }

    @Test
    void theLeaseDefaultsToAMinute() throws IOException {
        ConfigurableEnvironment env = environment(Map.of("bridge.erp.datasource.url", "jdbc:postgresql://erp:5432/erp"));
        assertThat(env.getProperty("bridge.stock.trigger")).contains("INTERVAL '60000 milliseconds'");
    }

    @Test
    void claimingCanBeSwitchedOffOrOn() throws IOException {
        ConfigurableEnvironment off = environment(Map.of(
                "bridge.erp.datasource.url", "jdbc:postgresql://erp:5432/erp", "bridge.erp.claim-changes", "false"));
        assertThat(off.getProperty("bridge.stock.trigger")).isEqualTo(PLAIN_STOCK_POLL);

        ConfigurableEnvironment on = environment(Map.of(
                "bridge.erp.datasource.url", "jdbc:p6spy:postgresql://erp:5432/erp", "bridge.erp.claim-changes", "true"));
        assertThat(on.getProperty("bridge.stock.trigger")).contains("FOR UPDATE SKIP LOCKED");
    }

    @Test
    void anExplicitTriggerWins() throws IOException {
        ConfigurableEnvironment env = environment(Map.of(
                "bridge.erp.datasource.url", "jdbc:postgresql://erp:5432/erp", "bridge.stock.trigger", "kafka:erp.stock"));
        assertThat(env.getProperty("bridge.stock.trigger")).isEqualTo("kafka:erp.stock");
        assertThat(env.getProperty("bridge.price.trigger")).contains("FOR UPDATE SKIP LOCKED");
    }

    @Test
    void aLeaseThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> environment(Map.of(
                "bridge.erp.datasource.url", "jdbc:postgresql://erp:5432/erp", "bridge.erp.claim-lease", "0s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bridge.erp.claim-lease");
    }

    /** application.yaml under the given settings (as the command line would set them), after start-up derivation. */
    public static ConfigurableEnvironment environment(Map<String, String> settings) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("settings", new HashMap<>(settings)));
        for (PropertySource<?> yaml : new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))) {
            env.getPropertySources().addLast(yaml);
        }
        new BridgeEnvironmentDefaults().postProcessEnvironment(env, null);
        return env;
    }
}
