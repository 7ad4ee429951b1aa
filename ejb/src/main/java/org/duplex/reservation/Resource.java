package org.duplex.reservation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.duplex.reservation.api.ResourceView;

/** An inventory row: capacity, units reserved, and the version that makes a lost update impossible. */
@Entity
@Table(name = "resource")
public class Resource {

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false)
    private long capacity;

    @Column(nullable = false)
    private long reserved;

    @Version
    @Column(nullable = false)
    private long version;

    protected Resource() {
    }

    Resource(String id, String name, long capacity) {
        this.id = id;
        this.name = name;
        this.capacity = capacity;
    }

    String id() {
        return id;
    }
    String name() {
        return name;
    }
    long capacity() {
        return capacity;
    }
    long reserved() {
        return reserved;
    }
    long version() {
        return version;
    }
    long available() {
        return capacity - reserved;
    }

    void reserve(int quantity) {
        reserved += quantity;
    }

    void release(int quantity) {
        reserved -= quantity;
    }

    void changeCapacity(long newCapacity) {
        capacity = newCapacity;
    }

    /** True when the two rows hold the same values: the replicas agree about this resource. */
    boolean sameAs(Resource other) {
        return id.equals(other.id) && name.equals(other.name) && capacity == other.capacity
                && reserved == other.reserved && version == other.version;
    }

    ResourceView view() {
        return new ResourceView(id, name, capacity, reserved, version);
    }
}
