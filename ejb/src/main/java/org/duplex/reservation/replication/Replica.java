package org.duplex.reservation.replication;

import jakarta.persistence.EntityManager;

/** One database as the write path sees it: its name ({@code db-a}, {@code db-b}) and its persistence context. */
public record Replica(String database, EntityManager em) {
}
