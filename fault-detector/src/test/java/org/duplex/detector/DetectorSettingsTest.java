package org.duplex.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class DetectorSettingsTest {

    private static Properties base() {
        Properties p = new Properties();
        p.setProperty("jboss.node.name", "node-b");
        p.setProperty("duplex.node-a.url", "remote+http://127.0.0.1:8180");
        p.setProperty("duplex.node-b.url", "remote+http://127.0.0.1:8280");
        return p;
    }

    @Test
    void defaultsDetectInAboutASecond() {
        DetectorSettings s = DetectorSettings.from(base());
        assertEquals(200, s.intervalMs());
        assertEquals(300, s.timeoutMs());
        assertEquals(3, s.misses());
        assertEquals(DetectorSettings.Failback.AUTO, s.failback());
        assertEquals("node-a", s.peer());
        assertEquals("node-a", s.preferredPrimary());
        assertEquals("http://127.0.0.1:8180", s.httpBase("node-a"));
        assertEquals("remote+http://127.0.0.1:8280", s.remoteUrl("node-b"));
    }

    @Test
    void badValuesAreRefusedByName() {
        Properties p = base();
        p.setProperty("duplex.detector.misses", "0");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DetectorSettings.from(p))
                .getMessage().startsWith("duplex.detector.misses must be between 1"));
        Properties q = base();
        q.setProperty("duplex.failback", "sometimes");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DetectorSettings.from(q))
                .getMessage().contains("auto or manual"));
        Properties r = base();
        r.setProperty("duplex.detector.interval.ms", "fast");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DetectorSettings.from(r))
                .getMessage().contains("whole number"));
        Properties s = base();
        s.remove("duplex.node-a.url");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DetectorSettings.from(s))
                .getMessage().contains("duplex.node-a.url"));
    }
}
