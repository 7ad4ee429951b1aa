package org.duplex.reservation.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PrimaryBindingTest {

    @Test
    void roundTrips() {
        PrimaryBinding b = new PrimaryBinding("node-a", "remote+http://127.0.0.1:8180", 3);
        assertEquals("node=node-a url=remote+http://127.0.0.1:8180 epoch=3", b.format());
        assertEquals(b, PrimaryBinding.parse(b.format()));
        assertEquals(b, PrimaryBinding.parse("  epoch=3   url=remote+http://127.0.0.1:8180 node=node-a "));
    }

    @Test
    void refusesMalformedValues() {
        assertThrows(IllegalArgumentException.class, () -> PrimaryBinding.parse(null));
        assertThrows(IllegalArgumentException.class, () -> PrimaryBinding.parse("node-a"));
        assertThrows(IllegalArgumentException.class, () -> PrimaryBinding.parse("node=node-a url=remote+http://h:1"));
        assertThrows(IllegalArgumentException.class,
                () -> PrimaryBinding.parse("node=node-a url=remote+http://h:1 epoch=x"));
        assertThrows(IllegalArgumentException.class,
                () -> PrimaryBinding.parse("node=node-a url=http://h:1 epoch=1"));
        assertThrows(IllegalArgumentException.class,
                () -> PrimaryBinding.parse("node=node-a url=remote+http://h:1 epoch=0"));
    }
}
