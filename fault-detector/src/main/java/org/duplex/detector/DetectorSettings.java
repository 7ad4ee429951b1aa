package org.duplex.detector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The fault detector's settings, read from system properties on every tick so that an admin changes
 * them at runtime with jboss-cli ({@code /system-property=duplex.detector.misses:write-attribute(...)}).
 * A value that does not parse, or is out of range, is refused with a message naming the property.
 *
 * @param node            this node's name ({@code jboss.node.name})
 * @param nodes           every node's name and remote URL, from {@code duplex.nodes} and {@code duplex.<node>.url}
 * @param intervalMs      time between two heartbeats ({@code duplex.detector.interval.ms}, default 200)
 * @param timeoutMs       how long one heartbeat may take ({@code duplex.detector.timeout.ms}, default 300)
 * @param misses          consecutive missed heartbeats that make a hung primary dead ({@code duplex.detector.misses}, default 3)
 * @param failback        {@code auto} or {@code manual} ({@code duplex.failback}, default auto)
 * @param failbackDelayMs how long the preferred primary must have been a healthy backup before it takes control back
 *                        ({@code duplex.failback.delay.ms}, default 5000)
 * @param preferredPrimary the node that takes control back under {@code auto} ({@code duplex.preferred.primary}, default node-a)
 * @param startupGraceMs  a backup that has never seen the primary alive waits this long after start before
 *                        promoting itself, so two nodes booting side by side do not race ({@code duplex.detector.startup.grace.ms}, default 60000)
 * @param policy          what the primary does when a database is unreachable ({@code duplex.replication.policy}):
 *                        {@code nofail} (default) goes on with the other one and journals, {@code strict} refuses writes
 * @param drained         the node is out of rotation for maintenance ({@code duplex.drain}, default false): it hands
 *                        the primary role to the other node and takes no control (promotion, failback, switchover)
 *                        until the property is removed
 */
public record DetectorSettings(String node, Map<String, String> nodes, long intervalMs, long timeoutMs, int misses,
                               Failback failback, long failbackDelayMs, String preferredPrimary, long startupGraceMs,
                               Policy policy, boolean drained) {

    public enum Failback { AUTO, MANUAL }

    public enum Policy { STRICT, NOFAIL }

    public DetectorSettings {
        nodes = Map.copyOf(nodes);
    }

    public static DetectorSettings fromSystemProperties() {
        return from(System.getProperties());
    }

    static DetectorSettings from(Properties p) {
        String node = required(p, "jboss.node.name");
        Map<String, String> nodes = new LinkedHashMap<>();
        for (String name : p.getProperty("duplex.nodes", "node-a,node-b").split(",")) {
            String n = name.trim();
            nodes.put(n, required(p, "duplex." + n + ".url"));
        }
        if (!nodes.containsKey(node)) {
            throw new IllegalArgumentException("jboss.node.name " + node + " is not one of duplex.nodes " + nodes.keySet());
        }
        if (nodes.size() != 2) {
            throw new IllegalArgumentException("duplex.nodes must name exactly two nodes, not " + nodes.keySet());
        }
        long interval = number(p, "duplex.detector.interval.ms", 200, 20, 60_000);
        long timeout = number(p, "duplex.detector.timeout.ms", 300, 20, 60_000);
        int misses = (int) number(p, "duplex.detector.misses", 3, 1, 100);
        String failbackPolicy = p.getProperty("duplex.failback", "auto").trim();
        Failback failback = switch (failbackPolicy) {
            case "auto" -> Failback.AUTO;
            case "manual" -> Failback.MANUAL;
            default -> throw new IllegalArgumentException("duplex.failback must be auto or manual, not '" + failbackPolicy + "'");
        };
        long delay = number(p, "duplex.failback.delay.ms", 5000, 0, 3_600_000);
        String preferred = p.getProperty("duplex.preferred.primary", "node-a").trim();
        if (!nodes.containsKey(preferred)) {
            throw new IllegalArgumentException("duplex.preferred.primary " + preferred + " is not one of " + nodes.keySet());
        }
        long grace = number(p, "duplex.detector.startup.grace.ms", 60_000, 0, 3_600_000);
        String replication = p.getProperty("duplex.replication.policy", "nofail").trim();
        Policy policy = switch (replication) {
            case "nofail" -> Policy.NOFAIL;
            case "strict" -> Policy.STRICT;
            default -> throw new IllegalArgumentException("duplex.replication.policy must be strict or nofail, not '"
                    + replication + "'");
        };
        String drain = p.getProperty("duplex.drain", "false").trim();
        if (!drain.equals("true") && !drain.equals("false")) {
            throw new IllegalArgumentException("duplex.drain must be true or false, not '" + drain + "'");
        }
        return new DetectorSettings(node, nodes, interval, timeout, misses, failback, delay, preferred, grace, policy,
                Boolean.parseBoolean(drain));
    }

    /** The other node of the pair. */
    public String peer() {
        List<String> others = new ArrayList<>(nodes.keySet());
        others.remove(node);
        return others.get(0);
    }

    /** The remote URL clients call a node on, as bound in reservation/primary. */
    public String remoteUrl(String name) {
        String url = nodes.get(name);
        if (url == null) {
            throw new IllegalArgumentException("unknown node " + name);
        }
        return url;
    }

    /** The node's HTTP base, where its REST API and heartbeat answer: the remote URL's host and port over http. */
    public String httpBase(String name) {
        String url = remoteUrl(name);
        int scheme = url.indexOf("://");
        String rest = url.substring(scheme + 3);
        String protocol = url.startsWith("remote+https") ? "https" : "http";
        return protocol + "://" + rest.replaceAll("/+$", "");
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + key + " is not set");
        }
        return value.trim();
    }

    private static long number(Properties p, String key, long defaultValue, long min, long max) {
        String raw = p.getProperty(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
