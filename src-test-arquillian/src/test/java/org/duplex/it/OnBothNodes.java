package org.duplex.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class run as a remote client against node-a and node-b, both running the real duplex.ear,
 * deployed by Arquillian for the class and undeployed after it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class OnBothNodes {

    @Deployment(name = "node-a", testable = false)
    @TargetsContainer("node-a")
    static EnterpriseArchive onNodeA() {
        return DuplexCluster.ear();
    }

    @Deployment(name = "node-b", testable = false)
    @TargetsContainer("node-b")
    static EnterpriseArchive onNodeB() {
        return DuplexCluster.ear();
    }
}
