package org.duplex.detector;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The cluster's event history as both databases hold it, for the REST API and the dashboard. A
 * node records what only it saw (a peer down, being fenced) in its own database, and changes of
 * primary in both; so both are read and merged. A database that does not answer is skipped: the
 * history is then the other one's, which is what an operator wants while one database is down.
 * Read-only; it never writes an event.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ClusterEventLog {

    private static final Logger LOG = Logger.getLogger(ClusterEventLog.class.getName());

    @EJB
    private ClusterStateStore store;

    /** The newest {@code limit} events, newest first. */
    public List<ClusterEvent> recent(int limit) {
        return read(null, limit);
    }

    /** The events recorded at or after {@code since}, newest first, at most {@code limit}. */
    public List<ClusterEvent> since(Instant since, int limit) {
        return read(since, limit);
    }

    private List<ClusterEvent> read(Instant since, int limit) {
        List<List<ClusterEvent>> perDatabase = new ArrayList<>();
        for (String db : ClusterStateStore.DATABASES) {
            try {
                perDatabase.add(store.events(db, since, limit));
            } catch (SQLException | RuntimeException e) {
                LOG.fine(() -> "events of " + db + " not read: " + e.getMessage());
            }
        }
        return ClusterEvent.merge(perDatabase, limit);
    }
}
