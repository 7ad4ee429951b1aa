package org.duplex.stock;

import java.util.List;

/**
 * The single-database baseline's remote view, for the benchmark's throughput part: a reservation as an
 * unreplicated application writes it, in one database and one-resource transaction. Set against Duplex's
 * write (XA over both databases, fenced by the epoch stores), it measures what replication costs.
 *
 * <p>Deployed by the benchmark on its own throw-away cluster, on the primary only, never by {@code ./duplex up}:
 * it writes tables of its own ({@link #SCHEMA}) in the node's own database, which no Duplex code reads.
 */
public interface SingleDatabaseReservations {

    /**
     * The baseline's tables, created by the benchmark before it deploys the bean ({@code if not exists}): an
     * inventory and its reservations, one per {@code (client_id, operation_id)}.
     */
    List<String> SCHEMA = List.of(
            "create table if not exists single_db_resource (id varchar(64) primary key, capacity bigint not null,"
                    + " reserved bigint not null default 0)",
            "create table if not exists single_db_reservation (id varchar(64) primary key,"
                    + " client_id varchar(64) not null, operation_id varchar(64) not null,"
                    + " resource_id varchar(64) not null references single_db_resource (id), quantity int not null,"
                    + " node varchar(64) not null, at timestamptz not null, unique (client_id, operation_id))");

    /** Adds a resource of that capacity unless one with that id exists (parameters: id, capacity). */
    String ADD_RESOURCE = "insert into single_db_resource (id, capacity) values (?, ?) on conflict (id) do nothing";

    /**
     * Reserves {@code quantity} units of {@code resourceId} in the calling node's own database, in the same steps as
     * Duplex's write minus replication: the earlier answer to this operation if there is one, else the resource row
     * locked, its capacity checked, the reservation inserted and the row updated.
     *
     * @return {@code "reservationId@node"}; the same id again for a repeated {@code (clientId, operationId)}
     * @throws jakarta.ejb.EJBException no such resource, not enough units left, or the database failed (rolled back)
     */
    String reserve(String clientId, String operationId, String resourceId, int quantity);
}
