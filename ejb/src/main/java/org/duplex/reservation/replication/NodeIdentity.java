package org.duplex.reservation.replication;

/**
 * Who this node is: its {@code jboss.node.name}, and which of the two databases is its own (the one
 * reads are served from), from the system property {@code duplex.own.database}.
 */
public record NodeIdentity(String name, String ownDatabase) {

    public static final String OWN_DATABASE_PROPERTY = "duplex.own.database";

    public static NodeIdentity fromSystemProperties() {
        String name = System.getProperty("jboss.node.name");
        String own = System.getProperty(OWN_DATABASE_PROPERTY);
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("system property jboss.node.name is not set");
        }
        if (!Replicas.DATABASES.contains(own)) {
            throw new IllegalStateException("system property " + OWN_DATABASE_PROPERTY + " must be one of "
                    + Replicas.DATABASES + " (got '" + own + "')");
        }
        return new NodeIdentity(name, own);
    }
}
