package org.duplex.stock.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.duplex.stock.StockReservations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The stock side of the benchmark's failover drill: reservations from several threads through
 * WildFly's own cluster-aware remote EJB client, as its documentation sets it up (a naming context
 * with both nodes as provider URLs, an {@code ejb:} lookup, the cluster topology learned from the
 * servers). No retry, no invocation timeout, no interceptor: what the caller gets is what WildFly gives.
 *
 * <p>Protocol with the benchmark runner: prints {@code ready} once {@code --warm} calls succeeded and
 * {@code acks N} after every 50th success; runs
 * until a line {@code stop} (or end of input, or {@code --max-seconds}); then writes every
 * acknowledgement and every error, with wall-clock times, as JSON ({@link StockRun}) to {@code --out} and prints
 * {@code done}.
 */
@Command(name = "duplex-stock-client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reserves through WildFly's own cluster-aware EJB client until a line 'stop' on stdin, then writes "
                + "every acknowledgement and error to --out.",
                "Exit codes: 0 done, 1 failure, 2 usage."})
public final class StockLoad implements Callable<Integer> {

    static final int MAX_THREADS = 64;
    static final int MAX_WARM = 1_000_000;
    static final long MAX_SECONDS = 3600;

    @Option(names = "--providers", required = true, paramLabel = "URLS",
            description = "the nodes' remote URLs, comma-separated: remote+https://host:port,...")
    String providers;

    @Option(names = "--trust-store", paramLabel = "FILE",
            description = "a PKCS12 trust store of the nodes' CA, for remote+https: the JDK's javax.net.ssl.trustStore")
    Path trustStore;

    @Option(names = "--trust-store-password-file", paramLabel = "FILE",
            description = "the trust store's password (javax.net.ssl.trustStorePassword), read from this file")
    Path trustStorePasswordFile;

    @Option(names = "--user", required = true, description = "the application user")
    String user;

    @Option(names = "--password-file", required = true, paramLabel = "FILE", description = "the user's password")
    Path passwordFile;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the run's JSON goes")
    Path out;

    @Option(names = "--run", paramLabel = "ID", defaultValue = "stock",
            description = "the run's id, the prefix of its client ids (default: ${DEFAULT-VALUE})")
    String run;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "calling threads, 1.." + MAX_THREADS + " (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--warm", paramLabel = "CALLS", defaultValue = "200",
            description = "successes before printing 'ready', 0.." + MAX_WARM + " (default: ${DEFAULT-VALUE})")
    int warm;

    @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "120",
            description = "stop by itself after this long, 1.." + MAX_SECONDS + " (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // the workers are daemons and the naming context keeps threads of its own: exit with the code, whatever runs
        System.exit(new CommandLine(new StockLoad()).execute(args));
    }

    /** Out-of-range numbers are usage errors (exit 2), before anything connects. */
    void checkRanges() {
        inRange("--threads", threads, 1, MAX_THREADS);
        inRange("--warm", warm, 0, MAX_WARM);
        inRange("--max-seconds", maxSeconds, 1, MAX_SECONDS);
    }

    private void inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(spec.commandLine(), option + " must be in " + min + ".." + max + ", not " + value);
        }
    }

    @Override
    public Integer call() throws Exception {
        checkRanges();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        if (trustStore != null) {
            // the stock way: WildFly's client takes the JVM's default SSLContext, built from these properties
            System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
            System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            if (trustStorePasswordFile != null) {
                System.setProperty("javax.net.ssl.trustStorePassword", Files.readString(trustStorePasswordFile).trim());
            }
        }
        Properties env = new Properties();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "org.wildfly.naming.client.WildFlyInitialContextFactory");
        env.put(Context.PROVIDER_URL, providers);
        env.put(Context.SECURITY_PRINCIPAL, user);
        env.put(Context.SECURITY_CREDENTIALS, Files.readString(passwordFile).trim());
        Context context = new InitialContext(env);
        StockReservations bean = lookup(context);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger successes = new AtomicInteger();
        ConcurrentLinkedQueue<StockRun.Ack> acks = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<StockRun.Failure> failures = new ConcurrentLinkedQueue<>();
        long startedMs = System.currentTimeMillis();
        long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String clientId = run + "-" + t;
            Thread w = new Thread(() -> {
                int n = 0;
                while (!stop.get() && System.nanoTime() < hardStop) {
                    String op = "op-" + n++;
                    try {
                        String result = bean.reserve(clientId, op);
                        acks.add(new StockRun.Ack(clientId, op, System.currentTimeMillis(), result));
                        if (successes.incrementAndGet() % 50 == 0) {
                            progress(successes.get());
                        }
                    } catch (RuntimeException e) {
                        failures.add(new StockRun.Failure(clientId, op, System.currentTimeMillis(), e.getClass().getName(), rootMessage(e)));
                    }
                }
            }, clientId);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        int warmCalls = warm;
        Thread readyWatch = new Thread(() -> {
            while (successes.get() < warmCalls && !stop.get() && System.nanoTime() < hardStop) {
                sleepQuietly(5);
            }
            say("ready");
        });
        readyWatch.setDaemon(true);
        readyWatch.start();

        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                    // only "stop" means anything
                }
            } catch (IOException e) {
                // end of input: stop as well
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        while (!stop.get() && System.nanoTime() < hardStop) {
            sleepQuietly(10);
        }
        stop.set(true);
        long stoppedMs = System.currentTimeMillis();
        for (Thread w : workers) {
            // a call to a killed node fails when its connection closes; none should stay blocked this long
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        Files.writeString(out, new StockRun(startedMs, stoppedMs, List.copyOf(acks), List.copyOf(failures)).toJson());
        say("done");
        context.close();
        return 0;
    }

    private static StockReservations lookup(Context context) throws NamingException {
        return (StockReservations) context.lookup(
                "ejb:/duplex-stock-ejb/StockReservationBean!" + StockReservations.class.getName());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = e.getMessage() + (root == e ? "" : " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")");
        return m.length() > 300 ? m.substring(0, 300) : m;
    }

    private static void progress(int acknowledged) {
        say("acks " + acknowledged);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
