package org.duplex.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits by polling a condition until a deadline; the condition decides, never the clock alone. */
final class Poll {

    private Poll() {
    }

    static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                fail("not " + what + " after " + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last), last);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
