package org.duplex.detector;

import java.sql.SQLException;
import java.util.List;

/**
 * The prepared XA branches in the epoch stores and the means to finish them (DESIGN.md, the in-doubt
 * rule): what {@link InDoubtResolution} plans over and what carries its plan out. Implemented over
 * JDBC by {@link ClusterStateStore}, outside any transaction. Each method throws {@link SQLException}
 * when the store fails or does not answer.
 */
interface InDoubtBranches {

    /** Ends every session {@code node} holds in {@code database} (its open transactions roll back); returns how many. */
    int endSessionsOf(String database, String node) throws SQLException;

    /** The gids of Duplex's own prepared transactions in {@code database}. */
    List<String> preparedGids(String database) throws SQLException;

    /** Whether the transaction {@code gtrid} committed in {@code database} (its marker is there). */
    boolean committed(String database, String gtrid) throws SQLException;

    /** {@code COMMIT PREPARED} or {@code ROLLBACK PREPARED} of one branch. */
    void finishPrepared(String database, String gid, boolean commit) throws SQLException;
}
