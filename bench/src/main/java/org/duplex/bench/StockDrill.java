package org.duplex.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.duplex.bench.report.BenchResults.FailoverRun;
import org.duplex.client.OutageTracker;
import org.duplex.stock.client.StockRun;

/**
 * One run of the failover drill against WildFly's stock answer: the plain bean of
 * {@code duplex-stock-ejb.jar} on both nodes, driven by {@code duplex-stock-client.jar} in a JVM of its
 * own whose class path holds WildFly's client libraries and the stock bean's interface, nothing of
 * Duplex. The runner only starts it, kills the node and counts rows afterwards.
 */
final class StockDrill {

    private final BenchCluster cluster;
    private final Path clientJar;
    private final Path workDir;

    StockDrill(BenchCluster cluster, Path stockDir, Path workDir) throws IOException {
        this.cluster = cluster;
        this.clientJar = stockDir.resolve("duplex-stock-client.jar");
        this.workDir = workDir;
        Files.createDirectories(workDir);
    }

    /** Creates the stock table in both databases and deploys the stock bean on both nodes (once). */
    void prepare(Path stockDir) throws Exception {
        for (String db : List.of("db-a", "db-b")) {
            try (Connection c = cluster.jdbc(db); var s = c.createStatement()) {
                s.execute("create table if not exists stock_reservation (id varchar(64) primary key,"
                        + " client_id varchar(64) not null, operation_id varchar(64) not null,"
                        + " node varchar(64) not null, at timestamptz not null)");
            }
        }
        Path ejb = stockDir.resolve("duplex-stock-ejb.jar");
        for (String node : List.of("node-a", "node-b")) {
            cluster.cli(node, "deploy " + ejb + " --name=duplex-stock-ejb.jar --force");
        }
    }

    /**
     * One drill: the figures of {@code failover.stock.runs[]}. {@code recoveryMs}: from the killed node's restart
     * until no prepared transaction was left in either database, absent when none was.
     */
    FailoverRun run(int run) throws Exception {
        String runId = "stock-" + UUID.randomUUID().toString().substring(0, 8) + "-" + run;
        Path results = workDir.resolve(runId + ".json");
        List<String> command = new ArrayList<>(List.of("java", "-jar", clientJar.toString(),
                "--providers", cluster.remoteUrl("node-a") + "," + cluster.remoteUrl("node-b"),
                "--user", "duplex-client", "--password-file", cluster.secret("client-password").toString(),
                "--out", results.toString(), "--run", runId, "--threads", "4", "--warm", "300",
                "--max-seconds", "120"));
        if (cluster.tls()) {
            command.addAll(List.of("--trust-store", cluster.trustStore().toString(),
                    "--trust-store-password-file", cluster.secret("tls-password").toString()));
        }
        Process p = new ProcessBuilder(command)
                .redirectError(workDir.resolve(runId + ".log").toFile()).start();
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger acks = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("ready")) {
                        ready.set(true);
                    } else if (line.equals("done")) {
                        done.set(true);
                    } else if (line.startsWith("acks ")) {
                        acks.set(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "stock-load-output");
        reader.setDaemon(true);
        reader.start();
        long killMs;
        long stopMs;
        try (Writer stdin = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            BenchCluster.await(Duration.ofSeconds(60), "stock load warmed up", () -> ready.get() || !p.isAlive());
            killMs = System.currentTimeMillis();
            cluster.launcher("kill", "node-a");
            int target = acks.get() + 300;
            try {
                BenchCluster.await(Duration.ofSeconds(10), target + " stock acknowledgements", () -> acks.get() >= target);
            } catch (IllegalStateException slow) {
                // the run goes on with what arrived: the outage it reports then says how long nothing did
            }
            stopMs = System.currentTimeMillis();
            stdin.write("stop\n");
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the stock load did not stop; see " + workDir.resolve(runId + ".log"));
        }
        reader.join(5_000);
        if (!done.get()) {
            throw new IllegalStateException("the stock load failed; see " + workDir.resolve(runId + ".log"));
        }
        StockRun stockRun = StockRun.read(Files.readString(results));
        List<StockRun.Ack> acked = stockRun.acks();
        List<StockRun.Failure> errors = stockRun.errors();

        OutageTracker outage = new OutageTracker();
        Set<String> ackedOps = new HashSet<>();
        for (StockRun.Ack a : acked) {
            outage.success(millisAsNanos(a.endMs()));
            ackedOps.add(a.clientId() + "/" + a.operationId());
        }
        Set<String> inA = operations("db-a", runId);
        Set<String> inB = operations("db-b", runId);
        long prepared = cluster.count("db-a", "select count(*) from pg_prepared_xacts")
                + cluster.count("db-b", "select count(*) from pg_prepared_xacts");
        long committedDespiteError = 0;
        for (StockRun.Failure e : errors) {
            String op = e.clientId() + "/" + e.operationId();
            if (inA.contains(op) || inB.contains(op)) {
                committedDespiteError++;
            }
        }
        long oneOnly = symmetricDifference(inA, inB);

        // the killed node's own transaction manager holds its in-doubt branches: only its restart finishes them
        long restart = System.nanoTime();
        cluster.launcher("start", "node-a");
        long recovered = BenchCluster.await(Duration.ofSeconds(120), "no prepared transaction left", () -> {
            try {
                return cluster.count("db-a", "select count(*) from pg_prepared_xacts")
                        + cluster.count("db-b", "select count(*) from pg_prepared_xacts") == 0;
            } catch (SQLException | IOException e) {
                return false;
            }
        });
        // absent: nothing was left in doubt, so there was no recovery to time
        Double recoveryMs = prepared == 0 ? null : (double) TimeUnit.NANOSECONDS.toMillis(recovered - restart);
        long oneOnlyAfter = symmetricDifference(operations("db-a", runId), operations("db-b", runId));
        return new FailoverRun((double) Math.round(outage.maxGapMs(millisAsNanos(killMs), millisAsNanos(stopMs))), null,
                (long) acked.size(), (long) inA.size(), (long) inB.size(), null, (long) errors.size(),
                committedDespiteError, missing(ackedOps, inA), missing(ackedOps, inB), oneOnly, prepared, recoveryMs,
                oneOnlyAfter, errors.isEmpty() ? "" : errors.get(0).type() + ": " + errors.get(0).message());
    }

    private Set<String> operations(String db, String runId) throws SQLException, IOException {
        Set<String> ops = new HashSet<>();
        try (Connection c = cluster.jdbc(db);
             PreparedStatement s = c.prepareStatement("select client_id, operation_id from stock_reservation where client_id like ?")) {
            s.setString(1, runId + "-%");
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ops.add(rs.getString(1) + "/" + rs.getString(2));
                }
            }
        }
        return ops;
    }

    private static long missing(Set<String> acknowledged, Set<String> stored) {
        long n = 0;
        for (String op : acknowledged) {
            if (!stored.contains(op)) {
                n++;
            }
        }
        return n;
    }

    private static long symmetricDifference(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).count() + b.stream().filter(x -> !a.contains(x)).count();
    }

    private static long millisAsNanos(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
