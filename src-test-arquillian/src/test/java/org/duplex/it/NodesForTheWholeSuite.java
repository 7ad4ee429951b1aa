package org.duplex.it;

import org.jboss.arquillian.container.spi.event.StopManualContainers;
import org.jboss.arquillian.core.api.Event;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;

/**
 * Keeps node-a and node-b running from one test class to the next, and stops them once, at the end of
 * the suite.
 *
 * <p>Arquillian stops every manual container after each test class ({@code ContainerEventController}
 * fires {@link StopManualContainers} on {@code AfterClass}), so each of the suite's classes booted both
 * WildFly nodes again: about 40 s a class, a third of the whole run. The classes already leave the
 * cluster as they found it (each test's {@code @AfterEach} starts what it killed, resumes what it
 * paused and puts back what it configured), and {@link OnBothNodes} starts a node that is not running
 * before every test, so the nodes are shared instead. The ear is deployed unmanaged, so it stays
 * deployed too.
 *
 * <p>Registered as an Arquillian {@link LoadableExtension} through {@code META-INF/services}. It
 * intercepts the event ({@link EventContext}: not calling {@code proceed()} cancels it) until the suite
 * ends, then fires it itself.
 */
public final class NodesForTheWholeSuite implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Keeper.class);
    }

    /** The observer: holds back the per-class stop, stops the manual containers after the last class. */
    public static final class Keeper {

        @Inject
        private Event<StopManualContainers> stop;

        private boolean suiteOver;

        public void holdBackUntilTheSuiteEnds(@Observes EventContext<StopManualContainers> event) {
            if (suiteOver) {
                event.proceed();
            }
        }

        public void stopAfterTheLastClass(@Observes(precedence = 100) AfterSuite event) {
            suiteOver = true;
            stop.fire(new StopManualContainers());
        }
    }
}
