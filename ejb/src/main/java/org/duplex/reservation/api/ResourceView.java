package org.duplex.reservation.api;

import java.io.Serializable;

/** A resource (inventory item) as read from one database: capacity, units reserved, row version. */
public final class ResourceView implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String name;
    private final long capacity;
    private final long reserved;
    private final long version;

    public ResourceView(String id, String name, long capacity, long reserved, long version) {
        this.id = id;
        this.name = name;
        this.capacity = capacity;
        this.reserved = reserved;
        this.version = version;
    }

    public String id() { return id; }
    public String name() { return name; }
    public long capacity() { return capacity; }
    public long reserved() { return reserved; }
    public long available() { return capacity - reserved; }
    public long version() { return version; }

    @Override
    public String toString() {
        return id + " '" + name + "' capacity=" + capacity + " reserved=" + reserved + " version=" + version;
    }
}
