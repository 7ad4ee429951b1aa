package org.duplex.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which errors out of a remote step the client resends instead of throwing. */
class EjbClientAssertionTest {

    private static AssertionError thrownBy(String className) {
        AssertionError e = new AssertionError();
        e.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(className, "checkStateInvariants", "X.java", 860),
                new StackTraceElement("org.duplex.client.DuplexClient", "remote", "DuplexClient.java", 1)});
        return e;
    }

    @Test
    void anAssertOfJbossEjbClientIsResentAnythingElseIsThrown() {
        assertTrue(DuplexClient.ejbClientAssertion(thrownBy("org.jboss.ejb.client.EJBClientInvocationContext")));
        assertFalse(DuplexClient.ejbClientAssertion(thrownBy("org.duplex.client.DuplexClient")),
                "an assert of our own is a bug to see, not a failure to resend");
        assertFalse(DuplexClient.ejbClientAssertion(new OutOfMemoryError()));
    }
}
