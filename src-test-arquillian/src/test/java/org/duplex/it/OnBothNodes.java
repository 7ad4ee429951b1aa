package org.duplex.it;

import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class run as a remote client against node-a and node-b, both running the real duplex.ear.
 * The nodes are manual containers: before each test both are started (again, if a test killed one)
 * and serving, with the ear deployed by Arquillian's {@link Deployer}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class OnBothNodes {

    static final List<String> NODES = List.of("node-a", "node-b");

    @ArquillianResource
    ContainerController controller;

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "duplex-on-node-a", managed = false, testable = false)
    @TargetsContainer("node-a")
    static EnterpriseArchive onNodeA() {
        return DuplexCluster.ear();
    }

    @Deployment(name = "duplex-on-node-b", managed = false, testable = false)
    @TargetsContainer("node-b")
    static EnterpriseArchive onNodeB() {
        return DuplexCluster.ear();
    }

    @BeforeEach
    void bothNodesServe() throws Exception {
        for (String node : NODES) {
            startIfNeeded(node);
        }
    }

    /** Starts a node that is not running, deploys the ear if it is not there, and waits until it serves. */
    void startIfNeeded(String node) throws Exception {
        if (!controller.isStarted(node) || !NodeProcess.running(node)) {
            forget(node);
            controller.start(node);
        }
        if (!DuplexCluster.serving(node)) {
            try {
                deployer.deploy("duplex-on-" + node);
            } catch (Exception alreadyThere) {
                // a restarted node deploys what it had from its own configuration (Arquillian's deployer then
                // reports a duplicate resource, as a checked DeploymentException): the poll below decides
            }
        }
        Poll.until(Duration.ofSeconds(90), node + " serving", () -> DuplexCluster.serving(node));
    }

    /** Kills a node with SIGKILL and tells Arquillian it is gone. */
    void killNode(String node) throws Exception {
        NodeProcess.kill9(node);
        forget(node);
    }

    /**
     * Tells Arquillian that a node whose process is gone (killed, or halted by a Byteman rule) is stopped.
     * Arquillian stops a container through its management connection, which, right after the process
     * died, may fail with "Channel closed" instead of finding nothing there; the process is gone either way,
     * so it is asked again until it agrees (the nodes live for the whole suite, so that connection is old).
     */
    void forget(String node) throws Exception {
        Poll.until(Duration.ofSeconds(30), "Arquillian told that " + node + " is stopped", () -> {
            controller.kill(node);
            return true;
        });
    }

    /** Resumes every node that is running (a paused one included), so that the next test finds both alive. */
    static void resumeRunningNodes() throws Exception {
        for (String node : NODES) {
            if (NodeProcess.running(node)) {
                NodeProcess.resume(node);
            }
        }
    }
}
