package dev.vtexbridge.config;

import java.time.Duration;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up refuses claiming triggers on an ERP whose erp_change has no claimed_until, with what to do about it. */
class ErpChangeClaimsCheckTest {

    private static final String CLAIM = ErpChangeTriggers.claim("stock", Duration.ofSeconds(60));

    @Test
    void aClaimingTriggerOnAnErpWithoutTheClaimColumnStopsStartUpSayingWhatToDo() {
        JdbcDataSource erp = erp("CREATE TABLE erp_change (change_id BIGINT, entity VARCHAR(20), sku_id VARCHAR(50))");

        assertThatThrownBy(() -> new ErpChangeClaimsCheck(erp, triggers(CLAIM)).check())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("erp_change has no column claimed_until")
                .hasMessageContaining("BRIDGE_ERP_CLAIM_CHANGES=false");
    }

    @Test
    void theMigratedErpAPlainPollAndAnUnreachableErpPass() {
        JdbcDataSource migrated = erp("CREATE TABLE erp_change (change_id BIGINT, claimed_until TIMESTAMP WITH TIME ZONE)");
        JdbcDataSource unmigrated = erp("CREATE TABLE erp_change (change_id BIGINT)");
        JdbcDataSource unreachable = new JdbcDataSource();
        unreachable.setURL("jdbc:h2:tcp://127.0.0.1:9/nothing");

        assertThatCode(() -> new ErpChangeClaimsCheck(migrated, triggers(CLAIM)).check()).doesNotThrowAnyException();
        assertThatCode(() -> new ErpChangeClaimsCheck(unmigrated, triggers(ErpChangeTriggers.poll("stock"))).check())
                .as("the plain poll needs no claim column").doesNotThrowAnyException();
        assertThatCode(() -> new ErpChangeClaimsCheck(unreachable, triggers(CLAIM)).check()).doesNotThrowAnyException();
        assertThat(CLAIM).contains("claimed_until");
    }

    private static MockEnvironment triggers(String stockTrigger) {
        return new MockEnvironment().withProperty("bridge.erp.poll-interval", "2000").withProperty("bridge.erp.poll-batch", "500")
                .withProperty("bridge.stock.trigger", stockTrigger)
                .withProperty("bridge.price.trigger", ErpChangeTriggers.poll("price"));
    }

    private static JdbcDataSource erp(String ddl) {
        JdbcDataSource erp = new JdbcDataSource();
        erp.setURL("jdbc:h2:mem:erp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new JdbcTemplate(erp).execute(ddl);
        return erp;
    }
}
