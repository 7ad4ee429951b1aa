package org.duplex.checker.store;

/**
 * Where one epoch store is and whether it holds business data. Parsed from
 * {@code NAME=[USER@]HOST:PORT[/DATABASE]}; user and database default to the given ones.
 */
public record StoreAddress(String name, String host, int port, String database, String user, boolean dataStore) {

    /**
     * @throws IllegalArgumentException the text is not {@code NAME=[USER@]HOST:PORT[/DATABASE]}
     */
    public static StoreAddress parse(String spec, String defaultUser, String defaultDatabase, boolean dataStore) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a store is NAME=[USER@]HOST:PORT[/DATABASE], not '" + spec + "'");
        }
        String name = spec.substring(0, eq);
        String rest = spec.substring(eq + 1);
        String user = defaultUser;
        int at = rest.indexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String database = defaultDatabase;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            database = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("store " + name + " needs HOST:PORT, not '" + rest + "'");
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("store " + name + ": port '" + rest.substring(colon + 1) + "' is not a number");
        }
        return new StoreAddress(name, rest.substring(0, colon), port, database, user, dataStore);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
