package org.duplex.reservation.api;

import java.io.Serializable;

/**
 * A resource (inventory item) as read from one database: capacity, units reserved, row version. As the
 * answer to a write (creation, capacity change), {@link #duplicate()} is true when the request had been
 * applied before under the same client id and operation id: nothing was written again, and the fields
 * are those the original answer carried, not the resource as it is now.
 */
public final class ResourceView implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String id;
    private final String name;
    private final long capacity;
    private final long reserved;
    private final long version;
    private final boolean duplicate;

    public ResourceView(String id, String name, long capacity, long reserved, long version) {
        this(id, name, capacity, reserved, version, false);
    }

    public ResourceView(String id, String name, long capacity, long reserved, long version, boolean duplicate) {
        this.id = id;
        this.name = name;
        this.capacity = capacity;
        this.reserved = reserved;
        this.version = version;
        this.duplicate = duplicate;
    }

    public String id() { return id; }
    public String name() { return name; }
    public long capacity() { return capacity; }
    public long reserved() { return reserved; }
    public long available() { return capacity - reserved; }
    public long version() { return version; }
    /** True when this answers a resent write: the original answer, nothing applied again. Always false for a read. */
    public boolean duplicate() { return duplicate; }

    @Override
    public String toString() {
        return id + " '" + name + "' capacity=" + capacity + " reserved=" + reserved + " version=" + version
                + (duplicate ? " (duplicate)" : "");
    }
}
