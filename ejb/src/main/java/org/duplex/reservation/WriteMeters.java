package org.duplex.reservation;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The write path's metrics, in the server's Micrometer registry (Prometheus text at {@code /metrics} on
 * the management port): {@code duplex_write_transactions_total} by outcome ({@code committed},
 * {@code rolled_back}) and replication ({@code xa} over both databases, {@code degraded} to one with a
 * journal, {@code single} for the benchmark's switch), and {@code duplex_duplicates_total}, the
 * requests answered with an earlier result instead of being applied again.
 */
@ApplicationScoped
public class WriteMeters {

    @Inject
    MeterRegistry registry;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** A write transaction passed the fence: count how it ends. */
    public void writeStarted(String replication) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // only the outcome matters
            }

            @Override
            public void afterCompletion(int status) {
                String outcome = status == Status.STATUS_COMMITTED ? "committed" : "rolled_back";
                registry.counter("duplex.write.transactions", "outcome", outcome, "replication", replication).increment();
            }
        });
    }

    /** A request carried a (client id, operation id) already applied. */
    public void duplicate() {
        registry.counter("duplex.duplicates").increment();
    }
}
