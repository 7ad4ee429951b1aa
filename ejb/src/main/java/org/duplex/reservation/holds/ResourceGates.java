package org.duplex.reservation.holds;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.duplex.reservation.api.HoldsUnavailableException;

/**
 * One gate per resource on this node, ordering every request that counts a resource's held units before
 * taking units of it: a hold (from its count to its last cache write), and a reserve, a confirm or a
 * capacity change (from their count to the end of their transaction, so that a hold counts their units
 * only once committed). Reserves hold the resource's row lock besides, taken first; holds take no row
 * lock, so the order is always row lock, then gate: no deadlock. Only the primary takes units; a demoted
 * node's holds are fenced otherwise (docs/holds.md). A semaphore, not a lock: a transaction may end on
 * another thread (the transaction reaper).
 */
@ApplicationScoped
public class ResourceGates {

    /** Longest wait for a gate, as for a row lock (lock_timeout 2 s). */
    static final long WAIT_MS = 2_000;

    private final ConcurrentMap<String, Semaphore> gates = new ConcurrentHashMap<>();

    @Resource
    private TransactionSynchronizationRegistry transactions;

    /** A passage through a gate, left by {@link #close()}. */
    public interface Passage extends AutoCloseable {
        @Override
        void close();
    }

    /** Passes the gate until the caller closes what this returns. */
    public Passage enter(String resourceId) throws HoldsUnavailableException {
        Semaphore gate = acquire(resourceId);
        return gate::release;
    }

    /** Passes the gate until the running JTA transaction ends, committed or not. */
    public void enterUntilCompletion(String resourceId) throws HoldsUnavailableException {
        Semaphore gate = acquire(resourceId);
        try {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // the gate stays closed through the commit
                }

                @Override
                public void afterCompletion(int status) {
                    gate.release();
                }
            });
        } catch (RuntimeException e) {
            gate.release();
            throw e;
        }
    }

    private Semaphore acquire(String resourceId) throws HoldsUnavailableException {
        Semaphore gate = gates.computeIfAbsent(resourceId, id -> new Semaphore(1));
        try {
            if (gate.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
                return gate;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new HoldsUnavailableException("the units of resource " + resourceId + " are being counted by another"
                + " request for longer than " + WAIT_MS + " ms; nothing was written, resend");
    }
}
