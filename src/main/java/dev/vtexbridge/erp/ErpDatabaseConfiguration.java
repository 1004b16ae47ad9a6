package dev.vtexbridge.erp;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The ERP's database, separate from the engine's own ({@code bridge.erp.datasource.*}). By default it is an embedded
 * H2 demo ERP with the documented schema and a seeded catalog (Flyway, {@code classpath:db/erp}); pointed at a real
 * ERP (BRIDGE_ERP_DATASOURCE_URL) the engine only reads and writes the documented tables or views, and never
 * migrates it unless {@code bridge.erp.migrate} says so.
 * <p>
 * The beans are not default candidates: the engine's own DataSource stays the one Spring Boot configures and
 * injects by type; ERP code asks for {@code erpDataSource} / {@code erpJdbc} by name.
 */
@Configuration(proxyBeanMethods = false)
public class ErpDatabaseConfiguration {

    @Bean(name = "erpDataSource", defaultCandidate = false)
    DataSource erpDataSource(@Value("${bridge.erp.datasource.url}") String url,
                             @Value("${bridge.erp.datasource.username}") String username,
                             @Value("${bridge.erp.datasource.password}") String password,
                             @Value("${bridge.erp.migrate}") boolean migrate,
                             @Value("${bridge.erp.demo-changes:true}") boolean demoChanges) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("erp");
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(username);
        dataSource.setPassword(password);
        dataSource.setConnectionTimeout(3000);
        if (migrate) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/erp")
                    .placeholders(java.util.Map.of("demo_changes", String.valueOf(demoChanges))).load().migrate();
        }
        return dataSource;
    }

    @Bean(name = "erpJdbc", defaultCandidate = false)
    NamedParameterJdbcTemplate erpJdbc(@Qualifier("erpDataSource") DataSource erpDataSource) {
        return new NamedParameterJdbcTemplate(erpDataSource);
    }
}
