package dev.vtexbridge.erp;

import javax.sql.DataSource;

import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.sql.SqlComponent;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Camel components of the ERP triggers that have no Spring Boot starter at Camel 4.18, as named beans:
 * {@code sql} (SQL polling of the ERP's change table, on the ERP datasource) and {@code quartz} (cron reconciliation).
 */
@Configuration(proxyBeanMethods = false)
public class ErpTriggerConfiguration {

    @Bean("sql")
    SqlComponent sqlComponent(@Qualifier("erpDataSource") DataSource erpDataSource) {
        SqlComponent sql = new SqlComponent();
        sql.setDataSource(erpDataSource);
        return sql;
    }

    @Bean("quartz")
    QuartzComponent quartzComponent() {
        return new QuartzComponent();
    }
}
