package dev.vtexbridge.erp;

import javax.sql.DataSource;

import org.apache.camel.component.sql.SqlComponent;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camel component of the ERP triggers that has no Spring Boot starter at Camel 4.18, as a named bean: {@code sql}
 * (SQL polling of the ERP's change table, on the ERP datasource). The {@code quartz} component (the cron
 * reconciliation, the single-instance polls) is {@link dev.vtexbridge.config.ClusterSchedulerConfiguration}'s.
 */
@Configuration(proxyBeanMethods = false)
public class ErpTriggerConfiguration {

    @Bean("sql")
    SqlComponent sqlComponent(@Qualifier("erpDataSource") DataSource erpDataSource) {
        SqlComponent sql = new SqlComponent();
        sql.setDataSource(erpDataSource);
        return sql;
    }
}
