package dev.vtexbridge.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * When a trigger claims ERP change rows (the derived SQL triggers with {@code bridge.erp.claim-changes}, or one written
 * like them), the ERP's {@code erp_change} table
 * needs the column {@code claimed_until} (ERP migration V42). An ERP the engine does not migrate may lack it: then
 * every poll would fail with an SQL error, and no change would move. Start-up says so at once instead. An ERP that
 * cannot be reached at start-up is not checked: the polls report that outage themselves.
 */
@Component
public class ErpChangeClaimsCheck {

    private static final Logger log = LoggerFactory.getLogger(ErpChangeClaimsCheck.class);

    private final DataSource erp;
    private final boolean claims;

    public ErpChangeClaimsCheck(@Qualifier("erpDataSource") DataSource erp, Environment env) {
        this.erp = erp;
        this.claims = ErpChangeTriggers.ENTITIES.stream().anyMatch(entity -> trigger(env, entity).contains("claimed_until"));
    }

    /** A flow's trigger URI; one Spring cannot resolve (a Camel {@code ${...}} expression in it) is not a claim. */
    private static String trigger(Environment env, String entity) {
        try {
            return env.getProperty("bridge." + entity + ".trigger", "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    @PostConstruct
    void check() {
        if (!claims) {
            return;
        }
        try (Connection connection = erp.getConnection()) {
            if (!hasColumn(connection, "erp_change", "claimed_until")) {
                throw new IllegalStateException("The ERP's table erp_change has no column claimed_until, which claiming "
                        + "change rows needs (bridge.erp.claim-changes=true, the default on PostgreSQL): add it as the "
                        + "ERP migration V42__erp_change_claims.sql does (ALTER TABLE erp_change ADD COLUMN claimed_until "
                        + "TIMESTAMP WITH TIME ZONE), or run a single instance with BRIDGE_ERP_CLAIM_CHANGES=false");
            }
        } catch (SQLException e) {
            log.warn("ERP database not reachable at start-up ({}); erp_change.claimed_until not checked", e.getMessage());
        }
    }

    /** Whether the table has the column, whatever case the database folds unquoted names to. */
    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        for (String[] names : new String[][] {{table, column}, {table.toUpperCase(), column.toUpperCase()}}) {
            try (ResultSet columns = connection.getMetaData().getColumns(null, null, names[0], names[1])) {
                if (columns.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
