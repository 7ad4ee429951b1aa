package org.duplex.stock;

/**
 * The stock bean's remote view: one reservation row, written to both databases in one XA transaction
 * that WildFly's transaction manager runs. There is no exactly-once rule: every call writes a new row.
 */
public interface StockReservations {

    /** Writes one row with this client and operation id to both databases; returns "rowId@node". */
    String reserve(String clientId, String operationId);
}
