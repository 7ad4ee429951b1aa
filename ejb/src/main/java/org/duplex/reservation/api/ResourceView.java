package org.duplex.reservation.api;

import java.io.Serializable;

/**
 * A resource (inventory item) as read from one database: capacity, units reserved, row version. As the
 * answer to a write (creation, capacity change), {@link #duplicate()} is true when the request had been
 * applied before under the same client id and operation id: nothing was written again, and the fields
 * are those the original answer carried, not the resource as it is now.
 */
public final class ResourceView implements Serializable {
    private static final long serialVersionUID = 3L;

    private final String id;
    private final String name;
    private final long capacity;
    private final long reserved;
    private final long version;
    private final boolean duplicate;
    private final long held;

    public ResourceView(String id, String name, long capacity, long reserved, long version) {
        this(id, name, capacity, reserved, version, false);
    }

    public ResourceView(String id, String name, long capacity, long reserved, long version, boolean duplicate) {
        this(id, name, capacity, reserved, version, duplicate, 0);
    }

    private ResourceView(String id, String name, long capacity, long reserved, long version, boolean duplicate,
                         long held) {
        this.id = id;
        this.name = name;
        this.capacity = capacity;
        this.reserved = reserved;
        this.version = version;
        this.duplicate = duplicate;
        this.held = held;
    }

    /** The same view with the units live holds keep on this resource (reads only; write answers carry 0). */
    public ResourceView withHeld(long heldUnits) {
        return new ResourceView(id, name, capacity, reserved, version, duplicate, heldUnits);
    }

    public String id() {
        return id;
    }
    public String name() {
        return name;
    }
    public long capacity() {
        return capacity;
    }
    public long reserved() {
        return reserved;
    }
    /** Units kept by live holds, as the node that answered counts them (0 in the answer to a write). */
    public long held() {
        return held;
    }
    /** Units a new reservation or hold may take: capacity - reserved - held. */
    public long available() {
        return capacity - reserved - held;
    }
    public long version() {
        return version;
    }
    /** True when this answers a resent write: the original answer, nothing applied again. Always false for a read. */
    public boolean duplicate() {
        return duplicate;
    }

    @Override
    public String toString() {
        return id + " '" + name + "' capacity=" + capacity + " reserved=" + reserved + (held == 0 ? "" : " held=" + held) + " version=" + version
                + (duplicate ? " (duplicate)" : "");
    }
}
