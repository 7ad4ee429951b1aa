package org.duplex.client.cli;

import jakarta.ejb.EJBAccessException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.duplex.client.AccessRefusedException;
import org.duplex.client.ClientConfig;
import org.duplex.client.DuplexClient;
import org.duplex.client.GaveUpException;
import org.duplex.client.history.HistoryFile;
import org.duplex.reservation.api.ClientIds;
import org.duplex.reservation.api.DuplexException;
import org.duplex.reservation.api.PrimaryBinding;
import org.duplex.reservation.api.ReservationResult;
import org.duplex.reservation.api.ReservationService;
import org.duplex.reservation.api.ResourceView;
import org.duplex.reservation.api.UnknownResourceException;

/**
 * {@code java -jar duplex-client.jar [connection options] COMMAND [options]}: one request per run
 * (or a bounded load with {@code loadgen}), results on stdout as text or JSON.
 *
 * <p>Exit codes: {@value #OK} done; {@value #FAILED} unexpected failure; {@value #USAGE} usage or
 * configuration error (message and usage on stderr); {@value #REFUSED} the service refused the
 * request (a typed error on stdout; a missing role or a client id of another user's included);
 * {@value #GAVE_UP} no answer before the deadline (the cluster was unreachable; the outcome of a write
 * is then unknown and it may be resent with the same operation id); {@value #UNAUTHENTICATED} a node
 * refused the user and password (wrong, or the identity locked out there after repeated failed logins),
 * at once and without a resend: nothing was sent.
 */
public final class DuplexCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int REFUSED = 3;
    public static final int GAVE_UP = 4;
    public static final int UNAUTHENTICATED = 5;

    public static final int DEFAULT_SEED_RESOURCES = 5;
    public static final long DEFAULT_SEED_CAPACITY = 100_000_000L;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    DuplexCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        if (!Boolean.getBoolean("duplex.client.verbose")) {
            // the client libraries log their versions and every reconnect at INFO through JUL: not for a CLI's stderr
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        int code = new DuplexCli(System.out, System.err, System.getenv()).run(args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line; returns the exit code. */
    public int run(String... args) {
        CommandLine cl;
        ClientConfig config;
        try {
            cl = CommandLine.parse(args);
            config = config(cl);
            checkOptions(cl);
        } catch (UsageException e) {
            if (e.getMessage().equals("help")) {
                out.println(CommandLine.USAGE);
                return OK;
            }
            return usage(e.getMessage());
        } catch (IOException e) {
            return usage("cannot read the configuration: " + e);
        } catch (IllegalArgumentException e) {
            return usage("bad configuration: " + e.getMessage());
        }

        boolean json = cl.flag("json");
        DuplexClient client;
        try {
            client = new DuplexClient(config);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            return usage("cannot read the password file: " + e);
        }
        try (client) {
            return execute(cl, client);
        } catch (DuplexException e) {
            return refused(json, e.code(), e, REFUSED);
        } catch (AccessRefusedException e) {
            return switch (e.reason()) {
                case AUTHENTICATION -> refused(json, "unauthenticated", e, UNAUTHENTICATED);
                // the client's own trust is wrong: as final as a wrong password, and with the same exit code
                case UNTRUSTED_CERTIFICATE -> refused(json, "untrusted-certificate", e, UNAUTHENTICATED);
                case AUTHORISATION -> refused(json, "forbidden", e, REFUSED);
            };
        } catch (EJBAccessException e) {
            // the user lacks the role (duplex-client asking for an admin operation): refused, like bad input
            return refused(json, "forbidden", e, REFUSED);
        } catch (GaveUpException e) {
            err.println("duplex-client: " + e.getMessage());
            if (json) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                out.println(JsonAnswers.error("gave-up", cause, e.getMessage()));
            }
            return GAVE_UP;
        } catch (UsageException e) {
            return usage(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("duplex-client: interrupted");
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("duplex-client: " + e);
            return FAILED;
        }
    }

    /**
     * Prints a refusal, {@code refused (TYPE): message} or as JSON {@code {"error":{type, exception, message}}}
     * (with {@code user} and {@code node} for an {@link AccessRefusedException}), and returns {@code code}.
     */
    private int refused(boolean json, String type, Exception e, int code) {
        if (!json) {
            out.println("refused (" + type + "): " + e.getMessage());
        } else if (e instanceof AccessRefusedException access) {
            out.println(JsonAnswers.accessError(type, access));
        } else {
            out.println(JsonAnswers.error(type, e, e.getMessage()));
        }
        return code;
    }

    private int usage(String message) {
        err.println("duplex-client: " + message);
        err.println(CommandLine.USAGE);
        return USAGE;
    }

    /** The configuration file (or defaults), then the command-line overrides. */
    ClientConfig config(CommandLine cl) throws UsageException, IOException {
        ClientConfig config = ClientConfig.resolve(cl.global("config"), env);
        if (cl.global("url") != null) {
            config = config.withBootstrap(ClientConfig.splitUrls(cl.global("url")));
        }
        if (cl.global("user") != null) {
            config = config.withUser(cl.global("user"));
        }
        if (cl.global("password-file") != null) {
            config = config.withPasswordFile(Path.of(cl.global("password-file")));
        }
        if (cl.global("deadline-ms") != null) {
            config = config.withDeadlineMs(CommandLine.parseNumber("deadline-ms", cl.global("deadline-ms"), 1, Long.MAX_VALUE));
        }
        return config;
    }

    /** Every number is checked before anything is sent, so a typo is a usage error, not a request. */
    static void checkOptions(CommandLine cl) throws UsageException {
        switch (cl.command()) {
            case "reserve" -> cl.number("quantity", Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
            case "create-resource" -> cl.number("capacity", Long.MIN_VALUE, Long.MAX_VALUE, 0);
            case "seed" -> {
                cl.number("resources", 1, 1000, DEFAULT_SEED_RESOURCES);
                cl.number("capacity", 1, ReservationService.MAX_CAPACITY, DEFAULT_SEED_CAPACITY);
            }
            case "loadgen" -> {
                cl.number("threads", LoadGenerator.MIN_THREADS, LoadGenerator.MAX_THREADS, 0);
                cl.number("duration", LoadGenerator.MIN_DURATION_S, LoadGenerator.MAX_DURATION_S, 0);
                cl.number("quantity", 1, ReservationService.MAX_QUANTITY, 1);
                cl.number("cancel-percent", 0, LoadGenerator.MAX_CANCEL_PERCENT, 0);
            }
            default -> {
            }
        }
    }

    private int execute(CommandLine cl, DuplexClient client)
            throws DuplexException, IOException, InterruptedException, UsageException {
        boolean json = cl.flag("json");
        String clientId = cl.option("client", ClientIds.of(client.config().user(), "cli-" + client.config().user()));
        switch (cl.command()) {
            case "reserve" -> {
                String op = operationId(cl, json);
                ReservationResult r = client.reserve(clientId, op, cl.option("resource"),
                        (int) cl.number("quantity", Integer.MIN_VALUE, Integer.MAX_VALUE, 0));
                printReservation("reserved", r, json);
            }
            case "cancel" -> {
                String op = operationId(cl, json);
                printReservation("cancelled", client.cancel(clientId, op, cl.option("reservation")), json);
            }
            case "get" -> printReservation("reservation", client.getReservation(clientId, cl.option("reservation")), json);
            case "list" -> {
                List<ReservationResult> all = client.listReservations(clientId);
                if (json) {
                    out.println(JsonDocuments.write(all.stream().map(JsonAnswers.Reservation::of).toList()));
                } else if (all.isEmpty()) {
                    out.println("no reservations for client " + clientId);
                } else {
                    for (ReservationResult r : all) {
                        out.println(describe(r));
                    }
                }
            }
            case "resources" -> {
                List<ResourceView> all = client.listResources();
                if (json) {
                    out.println(JsonDocuments.write(all.stream().map(JsonAnswers.Resource::of).toList()));
                } else if (all.isEmpty()) {
                    out.println("no resources (run the seed command to create the default inventory)");
                } else {
                    for (ResourceView v : all) {
                        out.println(describe(v));
                    }
                }
            }
            case "create-resource" -> {
                String op = operationId(cl, json);
                ResourceView v = client.createResource(clientId, op, cl.option("resource"), cl.option("name"),
                        cl.number("capacity", Long.MIN_VALUE, Long.MAX_VALUE, 0));
                if (json) {
                    out.println(JsonDocuments.write(JsonAnswers.Resource.of(v)));
                } else if (v.duplicate()) {
                    out.println("duplicate: this operation was already applied; original result:");
                    out.println("  " + describe(v));
                } else {
                    out.println("created: " + describe(v));
                }
            }
            case "seed" -> seed(client, (int) cl.number("resources", 1, 1000, DEFAULT_SEED_RESOURCES),
                    cl.number("capacity", 1, ReservationService.MAX_CAPACITY, DEFAULT_SEED_CAPACITY));
            case "primary" -> {
                PrimaryBinding b = client.primary();
                if (json) {
                    out.println(JsonDocuments.write(JsonAnswers.Primary.of(b)));
                } else {
                    out.println(b.format());
                }
            }
            case "loadgen" -> {
                String historyFile = cl.option("history");
                try (HistoryFile history = historyFile == null ? null : HistoryFile.create(Path.of(historyFile))) {
                    LoadGenerator.Result result = new LoadGenerator(client).run(new LoadGenerator.Options(
                            (int) cl.number("threads", LoadGenerator.MIN_THREADS, LoadGenerator.MAX_THREADS, 0),
                            1000L * cl.number("duration", LoadGenerator.MIN_DURATION_S, LoadGenerator.MAX_DURATION_S, 0),
                            (int) cl.number("quantity", 1, ReservationService.MAX_QUANTITY, 1),
                            (int) cl.number("cancel-percent", 0, LoadGenerator.MAX_CANCEL_PERCENT, 0),
                            history));
                    out.println(result.summary());
                    if (history != null) {
                        out.println("  history written to " + history.path());
                    }
                    String file = cl.option("json");
                    if (file != null) {
                        Path path = Path.of(file).toAbsolutePath();
                        if (path.getParent() != null) {
                            Files.createDirectories(path.getParent());
                        }
                        Files.writeString(path, result.toJson() + "\n", StandardCharsets.UTF_8);
                        out.println("  results written to " + path);
                    }
                }
            }
            default -> throw new UsageException("unknown command " + cl.command());
        }
        return OK;
    }

    private String operationId(CommandLine cl, boolean json) {
        String op = cl.option("operation");
        if (op == null) {
            op = UUID.randomUUID().toString();
            // printed before sending: if the request gives up, the same operation can be resent safely
            (json ? err : out).println("operation id: " + op + " (resend with --operation " + op
                    + " to repeat this request safely)");
        }
        return op;
    }

    private void seed(DuplexClient client, int count, long capacity) throws DuplexException {
        int created = 0;
        for (int i = 1; i <= count; i++) {
            String id = "room-" + i;
            try {
                ResourceView existing = client.getResource(id);
                out.println("exists  " + describe(existing));
            } catch (UnknownResourceException missing) {
                ResourceView v = client.createResource(id, "Room " + i, capacity);
                out.println("created " + describe(v));
                created++;
            }
        }
        out.println("seed: " + created + " created, " + (count - created) + " already there");
    }

    private void printReservation(String what, ReservationResult r, boolean json) {
        if (json) {
            out.println(JsonDocuments.write(JsonAnswers.Reservation.of(r)));
        } else if (r.duplicate()) {
            out.println("duplicate: this operation was already applied; original result:");
            out.println("  " + describe(r));
        } else {
            out.println(what + ": " + describe(r));
        }
    }

    static String describe(ReservationResult r) {
        return "reservation " + r.id() + " client=" + r.clientId() + " operation=" + r.operationId()
                + " resource=" + r.resourceId() + " quantity=" + r.quantity() + " status=" + r.status()
                + " epoch=" + r.epoch() + " node=" + r.node() + " createdAt=" + r.createdAt();
    }

    static String describe(ResourceView v) {
        return v.id() + " '" + v.name() + "' capacity=" + v.capacity() + " reserved=" + v.reserved()
                + " available=" + v.available() + " version=" + v.version();
    }
}
