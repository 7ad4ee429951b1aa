package org.duplex.checker.judge;

import java.util.List;

/**
 * What one epoch store held when it was read, or why it could not be read ({@code failure} not null,
 * everything else empty). A data store ({@code db-a}, {@code db-b}) holds business rows and a
 * journal; the witness ({@code db-w}) only the cluster state. {@code state} is null when the store
 * has no state row. {@code inventoryOperations} are the {@code inventory_operation} rows (the exactly-once
 * record of createResource and changeCapacity), one line each, ordered by id: compared, not judged.
 */
public record StoreSnapshot(String store, boolean dataStore, String failure, List<ResourceRow> resources,
                            List<ReservationRow> reservations, ClusterStateRow state, List<String> prepared,
                            long journalEntries, List<String> inventoryOperations) {

    public StoreSnapshot {
        resources = List.copyOf(resources);
        reservations = List.copyOf(reservations);
        prepared = List.copyOf(prepared);
        inventoryOperations = List.copyOf(inventoryOperations);
    }

    /** A data store without inventory writes. */
    public StoreSnapshot(String store, boolean dataStore, String failure, List<ResourceRow> resources,
                         List<ReservationRow> reservations, ClusterStateRow state, List<String> prepared, long journalEntries) {
        this(store, dataStore, failure, resources, reservations, state, prepared, journalEntries, List.of());
    }

    /** A store that did not answer. */
    public static StoreSnapshot unreadable(String store, boolean dataStore, String failure) {
        return new StoreSnapshot(store, dataStore, failure, List.of(), List.of(), null, List.of(), 0);
    }

    /** The witness: a state row and its prepared transactions, nothing else. */
    public static StoreSnapshot witness(String store, ClusterStateRow state, List<String> prepared) {
        return new StoreSnapshot(store, false, null, List.of(), List.of(), state, prepared, 0);
    }

    public boolean readable() {
        return failure == null;
    }
}
