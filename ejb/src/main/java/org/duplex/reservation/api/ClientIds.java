package org.duplex.reservation.api;

/**
 * Which application user may act for which {@code clientId}: the rule the service enforces on every
 * reservation call, EJB and REST alike, and that clients use to build ids they may use.
 *
 * <p>A client id is either <em>qualified</em>, {@code USER:NAME}, and then belongs to the application
 * user {@code USER} (the part before the first {@value #SEPARATOR}); or <em>unqualified</em> (no
 * {@value #SEPARATOR}), and then belongs to {@value #SHARED_USER}, the shared user the launcher makes
 * for the demo, the benchmarks and the test suite, whose ids (for instance {@code loadgen-96f12c29-0})
 * keep working unchanged. Every id has exactly one owner, so a user created with
 * {@code ./duplex user add alice} acts for {@code alice:anything} and nothing else, and no other client
 * user acts for alice's ids. A caller in role {@code admin} may act for any client id. User names the
 * launcher creates never contain {@value #SEPARATOR}.
 *
 * <p>Pure: no server, no state; unit-tested on its own.
 */
public final class ClientIds {

    /** Separates the owning user from the caller's own name in a qualified client id. */
    public static final char SEPARATOR = ':';
    /** The shared application user that owns every unqualified client id. */
    public static final String SHARED_USER = "duplex-client";

    private ClientIds() {
    }

    /**
     * The user a client id belongs to.
     *
     * @param clientId a non-null client id
     * @return the part before the first {@value #SEPARATOR}, or {@value #SHARED_USER} when there is none
     */
    public static String owner(String clientId) {
        int at = clientId.indexOf(SEPARATOR);
        return at < 0 ? SHARED_USER : clientId.substring(0, at);
    }

    /**
     * Whether a caller may act for a client id.
     *
     * @param user the authenticated caller's name (null or empty for an anonymous caller: never allowed)
     * @param admin whether the caller is in role {@code admin}
     * @param clientId a non-null client id
     */
    public static boolean mayActFor(String user, boolean admin, String clientId) {
        return admin || (user != null && !user.isEmpty() && owner(clientId).equals(user));
    }

    /**
     * A client id of this user's: {@code name} itself for {@value #SHARED_USER}, {@code user:name} for
     * anyone else.
     *
     * @param user the application user the id is for, without {@value #SEPARATOR}
     * @param name the caller's own name for the client, for instance {@code loadgen-<run>-<thread>}
     * @throws IllegalArgumentException the user name contains {@value #SEPARATOR}
     */
    public static String of(String user, String name) {
        if (user.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("user name " + user + " contains '" + SEPARATOR
                    + "': it can own no client id");
        }
        return SHARED_USER.equals(user) ? name : user + SEPARATOR + name;
    }
}
