package org.duplex.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.ModelControllerClientConfiguration;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

/**
 * A node's management model, reached from the test's own JVM through its management port, the way the
 * suite's jboss-cli processes reached it, without a JVM start per command. The client connects to
 * {@code remote+http://127.0.0.1:<management port>} with no credentials, so the SASL mechanism is
 * JBOSS-LOCAL-USER, as for {@code jboss-cli.sh --connect} and Arquillian's own client: the test runs as the
 * server's user on its machine and proves it by reading the token the server writes under its temp dir.
 * <p>
 * It does what some scripts of {@code cli-scripts/} do, operation for operation, for tests that need the
 * effect and not the script; the scripts themselves are {@link CliScriptsIT}'s, which runs them with
 * jboss-cli.sh as an operator does. Every call has a deadline; a failed operation fails the test.
 */
final class NodeManagement {

    /** What a spawned jboss-cli was given to finish in. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** reservation/primary, the binding remote clients read: {@code java\:jboss\/exported\/reservation\/primary} in CLI syntax. */
    private static final ModelNode PRIMARY_BINDING =
            Operations.createAddress("subsystem", "naming", "binding", "java:jboss/exported/reservation/primary");

    private NodeManagement() {
    }

    /** The value bound to reservation/primary on the node. */
    static String boundPrimary(String node) throws IOException, InterruptedException {
        return result(node, Operations.createReadAttributeOperation(PRIMARY_BINDING, "value")).asString();
    }

    /** What set-replication-policy.cli does: the system property duplex.replication.policy, written or added. */
    static void replicationPolicy(String node, String policy) throws IOException, InterruptedException {
        systemProperty(node, "duplex.replication.policy", policy);
    }

    /** What set-failback.cli does: duplex.failback ({@code auto}, {@code manual}) and duplex.failback.delay.ms. */
    static void failback(String node, String policy, long delayMs) throws IOException, InterruptedException {
        systemProperty(node, "duplex.failback", policy);
        systemProperty(node, "duplex.failback.delay.ms", Long.toString(delayMs));
    }

    /**
     * What switchover.cli does: an admin's rebind of reservation/primary on {@code node} to name {@code to},
     * which that node's detector takes as a switchover request; the rebind is all, the detector does the rest.
     */
    static void requestSwitchover(String node, String to, String url) throws IOException, InterruptedException {
        ModelNode rebind = Operations.createOperation("rebind", PRIMARY_BINDING);
        rebind.get("binding-type").set("simple");
        rebind.get("type").set("java.lang.String");
        rebind.get("value").set("node=" + to + " url=" + url + " epoch=1");
        result(node, rebind);
    }

    /**
     * A system property set at runtime as the set-*.cli scripts set it: write-attribute when it exists
     * ({@code if (outcome == success) of .../system-property=NAME:read-resource}), add otherwise.
     */
    private static void systemProperty(String node, String name, String value) throws IOException, InterruptedException {
        ModelNode address = Operations.createAddress("system-property", name);
        if (Operations.isSuccessfulOutcome(execute(node, Operations.createReadResourceOperation(address)))) {
            result(node, Operations.createWriteAttributeOperation(address, "value", value));
        } else {
            ModelNode add = Operations.createAddOperation(address);
            add.get("value").set(value);
            result(node, add);
        }
    }

    /** The operation's result; the test fails, with the node's answer, when its outcome is not success. */
    private static ModelNode result(String node, ModelNode operation) throws IOException, InterruptedException {
        ModelNode answer = execute(node, operation);
        if (!Operations.isSuccessfulOutcome(answer)) {
            fail(operation + " on " + node + " failed:\n" + answer);
        }
        return Operations.readResult(answer);
    }

    /** The node's whole answer to one operation, success or not; a connection failure is an IOException. */
    private static ModelNode execute(String node, ModelNode operation) throws IOException, InterruptedException {
        // a client per call: nodes are killed and restarted under the tests, and a connection costs
        // milliseconds here against the seconds of a jboss-cli JVM
        try (ModelControllerClient client = ModelControllerClient.Factory.create(new ModelControllerClientConfiguration.Builder()
                .setProtocol("remote+http")
                .setHostName("127.0.0.1")
                .setPort(Integer.getInteger("duplex." + node + ".management.port"))
                .setConnectionTimeout(CONNECT_TIMEOUT_MS)
                .build())) {
            return client.executeAsync(operation).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(operation + " on " + node + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            return fail(operation + " on " + node + " gave no answer within " + DEADLINE.toSeconds() + " s");
        }
    }
}
