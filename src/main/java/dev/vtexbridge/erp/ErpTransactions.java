package dev.vtexbridge.erp;

import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Transactions on the ERP's database. Deliberately not a transaction-manager bean: a second one would take the
 * engine's default transaction manager (and {@code @Transactional} on the engine's database) away.
 */
@Component
public class ErpTransactions {

    private final TransactionTemplate template;

    public ErpTransactions(@Qualifier("erpDataSource") DataSource erpDataSource) {
        this.template = new TransactionTemplate(new DataSourceTransactionManager(erpDataSource));
    }

    /** Runs {@code work} in one ERP transaction: all of it commits, or none. */
    public <T> T inTransaction(Supplier<T> work) {
        return template.execute(status -> work.get());
    }
}
