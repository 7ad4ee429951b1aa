package org.duplex.reservation.replication;

import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.util.Base64;
import javax.transaction.xa.Xid;

/**
 * The XA global transaction id of the running JTA transaction, base64-encoded exactly as the
 * PostgreSQL driver writes it into a prepared transaction's gid ({@code formatId_gtrid_bqual}).
 *
 * <p>The id is not part of the Jakarta API: WildFly's transaction client wraps Narayana's transaction
 * and offers it as {@code getXid()}, Narayana's own class as {@code getTxId()}. Both are reached
 * reflectively so that this module compiles against the Jakarta API alone.
 */
public final class GlobalTransaction {

    private GlobalTransaction() {
    }

    public static String currentGtrid(TransactionManager tm) {
        try {
            Transaction tx = tm.getTransaction();
            if (tx == null) {
                throw new IllegalStateException("no JTA transaction is active");
            }
            Xid xid = (Xid) xidMethod(tx.getClass()).invoke(tx);
            return Base64.getEncoder().encodeToString(xid.getGlobalTransactionId());
        } catch (ReflectiveOperationException | SystemException | ClassCastException e) {
            throw new IllegalStateException("cannot read the XA global transaction id from " + tm, e);
        }
    }

    private static java.lang.reflect.Method xidMethod(Class<?> type) throws NoSuchMethodException {
        try {
            return type.getMethod("getXid");
        } catch (NoSuchMethodException e) {
            return type.getMethod("getTxId");
        }
    }
}
