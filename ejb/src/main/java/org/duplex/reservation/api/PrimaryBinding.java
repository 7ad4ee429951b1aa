package org.duplex.reservation.api;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The value of the naming binding {@code java:jboss/exported/reservation/primary} (remote name
 * {@value #REMOTE_NAME}): which node is in charge, the remote URL to call it on, and the epoch.
 *
 * <p>It is bound as a plain string, {@code node=node-a url=remote+http://127.0.0.1:8180 epoch=1},
 * so that an admin reads and rebinds it with jboss-cli without any Duplex class on the CLI's path.
 * {@link #parse(String)} refuses anything that is not exactly that shape.
 */
public final class PrimaryBinding implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The name remote clients look up. */
    public static final String REMOTE_NAME = "reservation/primary";
    /** The name of the binding inside the server. */
    public static final String JNDI_NAME = "java:jboss/exported/" + REMOTE_NAME;

    private final String node;
    private final String url;
    private final long epoch;

    public PrimaryBinding(String node, String url, long epoch) {
        if (node == null || node.isBlank() || node.contains(" ")) {
            throw new IllegalArgumentException("node name must be a non-blank word: '" + node + "'");
        }
        if (url == null || !(url.startsWith("remote+http://") || url.startsWith("remote+https://")
                || url.startsWith("http-remoting://") || url.startsWith("remote://"))) {
            throw new IllegalArgumentException("url must be a remoting URL such as remote+http://host:port: '" + url + "'");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
        }
        this.node = node;
        this.url = url;
        this.epoch = epoch;
    }

    /** Reads the bound string; throws {@link IllegalArgumentException} saying what is wrong with it. */
    public static PrimaryBinding parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no value bound at " + REMOTE_NAME);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : value.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value in '" + value + "', found '" + part + "'");
            }
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String epoch = fields.get("epoch");
        if (!fields.containsKey("node") || !fields.containsKey("url") || epoch == null) {
            throw new IllegalArgumentException("expected node=, url= and epoch= in '" + value + "'");
        }
        try {
            return new PrimaryBinding(fields.get("node"), fields.get("url"), Long.parseLong(epoch));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("epoch is not a number in '" + value + "'", e);
        }
    }

    public String node() {
        return node;
    }
    public String url() {
        return url;
    }
    public long epoch() {
        return epoch;
    }

    /** The string that is bound. */
    public String format() {
        return "node=" + node + " url=" + url + " epoch=" + epoch;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrimaryBinding p && p.node.equals(node) && p.url.equals(url) && p.epoch == epoch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, url, epoch);
    }

    @Override
    public String toString() {
        return format();
    }
}
