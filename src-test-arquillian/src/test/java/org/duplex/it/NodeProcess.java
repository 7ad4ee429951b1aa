package org.duplex.it;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Fault injection on a node's JVM, found by process id: the process whose command line carries this
 * suite's server directory for that node (so nothing else on the machine is ever touched).
 */
final class NodeProcess {

    private NodeProcess() {
    }

    static Optional<ProcessHandle> find(String node) {
        String baseDir = "-Djboss.server.base.dir=" + DuplexCluster.home().resolve("nodes").resolve(node);
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> java.util.Arrays.asList(args).contains(baseDir))
                        .orElse(false))
                .findFirst();
    }

    static boolean running(String node) {
        return find(node).map(ProcessHandle::isAlive).orElse(false);
    }

    static long pid(String node) {
        return find(node).orElseThrow(() -> new IllegalStateException(node + " is not running")).pid();
    }

    /** {@code kill -9}: the JVM dies at once, connections are cut, transactions left where they were. */
    static void kill9(String node) throws Exception {
        ProcessHandle p = find(node).orElseThrow(() -> new IllegalStateException(node + " is not running"));
        p.destroyForcibly();
        Poll.until(Duration.ofSeconds(10), node + " dead", () -> !p.isAlive());
    }

    /** {@code SIGSTOP}: a hung server, its sockets open and silent. */
    static void pause(String node) throws IOException, InterruptedException {
        signal(node, "STOP");
    }

    /** {@code SIGCONT}. */
    static void resume(String node) throws IOException, InterruptedException {
        signal(node, "CONT");
    }

    private static void signal(String node, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid(node))).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " of " + node + " failed");
        }
    }
}
