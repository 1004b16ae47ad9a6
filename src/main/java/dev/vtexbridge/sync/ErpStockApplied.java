package dev.vtexbridge.sync;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Told by the stock flow, inside the transaction that writes the ERP's new stock of some SKUs, which version of each
 * SKU's ERP stock that is: what depends on the ERP's stock catching up with something (the orders handed over to it)
 * changes in the same commit as the stock, so no instance ever sees one without the other.
 */
public interface ErpStockApplied {

    /**
     * @param versions per SKU, the ERP stock version now applied (the change's {@code updatedAt} or the stock row's
     *                 {@code updated_at}); SKUs whose changes carried no version are not listed
     */
    void applied(Map<String, OffsetDateTime> versions);
}
