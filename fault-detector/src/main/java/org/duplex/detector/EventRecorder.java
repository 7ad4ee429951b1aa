package org.duplex.detector;

import java.sql.SQLException;

/** Records one event in one data database's {@code cluster_event}, outside any transaction. */
@FunctionalInterface
interface EventRecorder {

    void record(String database, String node, String kind, long epoch, String detail) throws SQLException;
}
