package org.duplex.reservation.holds;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.duplex.reservation.api.HoldsUnavailableException;
import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.distribution.LocalizedCacheTopology;

/**
 * The replicated caches {@code holds} (the live holds) and {@code hold-answers} (what hold and release
 * requests were answered, for resends) of the cache container {@code duplex} (configure-holds.cli): every
 * write is synchronous, so it returns once both nodes applied it (or fails after the cache's
 * {@code remote-timeout}); reads are local, every entry being on both nodes. Conditional writes
 * ({@code putIfAbsent}, {@code replace(k, old, new)}, {@code remove(k, v)}) are decided on one node, the
 * key's primary owner, under its lock: how a placer's step to LIVE and a successor's void of the same
 * PENDING entry can never both succeed. Every Infinispan failure is a {@link HoldsUnavailableException}
 * (retryable): nothing here decides anything.
 */
@ApplicationScoped
public class HoldCache {

    /** Where WildFly binds the caches (the Infinispan subsystem binds every cache under java:jboss/infinispan/cache). */
    public static final String HOLDS = "java:jboss/infinispan/cache/duplex/holds";
    public static final String ANSWERS = "java:jboss/infinispan/cache/duplex/hold-answers";

    /** Longest wait, in ms, for a write started asynchronously (the caches' remote timeout is 2 s by default). */
    static final long AWAIT_MS = 5_000;

    private static final String HOLD = "hold:";
    private static final String ANSWER = "answer:";
    private static final String RELEASE = "release:";

    /** hold:&lt;id&gt; entries only: what every reserve counts, so kept small (live holds). */
    @Resource(lookup = HOLDS)
    private Cache<String, String> cache;

    /** answer:&lt;id&gt; and release:&lt;client&gt;|&lt;operation&gt; entries. */
    @Resource(lookup = ANSWERS)
    private Cache<String, String> answers;

    /** The {@code hold:} entry of this id (PENDING or LIVE), or null: an expired entry is never returned. */
    public HoldRecord live(String holdId) throws HoldsUnavailableException {
        return read(() -> HoldRecord.decode(cache.get(HOLD + holdId)));
    }

    /** The {@code answer:} entry of this id, or null. */
    public HoldRecord answer(String holdId) throws HoldsUnavailableException {
        return read(() -> HoldRecord.decode(answers.get(ANSWER + holdId)));
    }

    /** The hold a release operation was used for, or null. */
    public String releasedBy(String clientId, String operationId) throws HoldsUnavailableException {
        return read(() -> answers.get(RELEASE + clientId + "|" + operationId));
    }

    /** Every {@code hold:} entry this node holds (all of them: the cache is replicated), expired ones left out. */
    public List<HoldRecord> entries() throws HoldsUnavailableException {
        return byPrefix(cache, HOLD, value -> true);
    }

    /** Every {@code answer:} entry: what the sweeper looks for expired holds in. */
    public List<HoldRecord> answers() throws HoldsUnavailableException {
        return byPrefix(answers, ANSWER, value -> true);
    }

    /** The entries of {@code in} whose key starts with {@code prefix} and whose value passes {@code worth}, decoded. */
    private static List<HoldRecord> byPrefix(Cache<String, String> in, String prefix, Predicate<String> worth)
            throws HoldsUnavailableException {
        return read(() -> {
            List<HoldRecord> all = new ArrayList<>();
            // typed as a java.util.Set: CacheSet's own iterator type (infinispan-commons) is not in the public module
            Set<Map.Entry<String, String>> all0 = in.entrySet();
            for (Map.Entry<String, String> e : all0) {
                if (e.getKey().startsWith(prefix) && worth.test(e.getValue())) {
                    all.add(HoldRecord.decode(e.getValue()));
                }
            }
            return all;
        });
    }

    /** Units the entries of this node keep on one resource (see {@link HoldRules#heldUnits}). */
    public long heldUnits(String resourceId) throws HoldsUnavailableException {
        // the entries of other resources are passed over without being decoded
        return HoldRules.heldUnits(byPrefix(cache, HOLD, value -> HoldRecord.mayConcern(value, resourceId)), resourceId);
    }

    /**
     * The topology the cache is in now, as (id, number of members): a hold is acknowledged only if the
     * same topology of two members held from before its first write to after its last.
     */
    public Topology topology() throws HoldsUnavailableException {
        return read(() -> {
            LocalizedCacheTopology t = cache.getAdvancedCache().getDistributionManager().getCacheTopology();
            return new Topology(t.getTopologyId(), t.getActualMembers().size());
        });
    }

    /** A cache topology: its id and how many members it has. */
    public record Topology(int id, int members) {
    }

    /** Writes a PENDING entry if the key is free; returns the entry found instead, or null when written. */
    public HoldRecord putPending(HoldRecord pending, long nowMs) throws HoldsUnavailableException {
        return write(() -> HoldRecord.decode(cache.putIfAbsent(HOLD + pending.id(), pending.encode(),
                HoldRules.lifespanMs(pending, nowMs), TimeUnit.MILLISECONDS)));
    }

    /** Replaces the hold entry {@code expected} by {@code next} if it is still exactly that; true when replaced. */
    public boolean replaceLive(HoldRecord expected, HoldRecord next, long nowMs) throws HoldsUnavailableException {
        return write(() -> cache.replace(HOLD + expected.id(), expected.encode(), next.encode(),
                HoldRules.lifespanMs(next, nowMs), TimeUnit.MILLISECONDS));
    }

    /** Removes the hold entry if it is still exactly {@code expected}; true when removed. */
    public boolean removeLive(HoldRecord expected) throws HoldsUnavailableException {
        return write(() -> cache.remove(HOLD + expected.id(), expected.encode()));
    }

    /** Writes the answer record, kept {@link HoldRules#ANSWER_RETENTION_MS} past the hold's expiry. */
    public void putAnswer(HoldRecord answer, long nowMs) throws HoldsUnavailableException {
        // the record it replaces is not wanted: the owner need not send it back
        write(() -> answers.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(ANSWER + answer.id(),
                answer.encode(), HoldRules.answerLifespanMs(answer, nowMs), TimeUnit.MILLISECONDS));
    }

    /**
     * Starts writing the answer record if there is none (lifespan as {@link #putAnswer}), so that the caller can
     * make another write meanwhile; {@link #await} its outcome: the record found instead, or null when written.
     */
    public CompletableFuture<HoldRecord> putAnswerIfAbsentAsync(HoldRecord answer, long nowMs)
            throws HoldsUnavailableException {
        return write(() -> answers.putIfAbsentAsync(ANSWER + answer.id(), answer.encode(),
                HoldRules.answerLifespanMs(answer, nowMs), TimeUnit.MILLISECONDS).thenApply(HoldRecord::decode));
    }

    /**
     * The outcome of a write started asynchronously, waited for at most {@link #AWAIT_MS} (the write's own
     * remote timeout normally ends it first).
     *
     * @throws HoldsUnavailableException the write failed or did not end in time; it may be applied or not
     */
    public static <T> T await(CompletableFuture<T> writing) throws HoldsUnavailableException {
        try {
            return writing.get(AWAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new HoldsUnavailableException("the holds cache could not be written on both nodes: " + e.getCause());
        } catch (TimeoutException e) {
            throw new HoldsUnavailableException("a write of the holds cache did not end within " + AWAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoldsUnavailableException("interrupted while writing the holds cache");
        }
    }

    /** Removes the answer record if it is still exactly {@code expected}; true when removed. */
    public boolean removeAnswer(HoldRecord expected) throws HoldsUnavailableException {
        return write(() -> answers.remove(ANSWER + expected.id(), expected.encode()));
    }

    /** Replaces the answer record if it is still exactly {@code expected}; true when replaced. */
    public boolean replaceAnswer(HoldRecord expected, HoldRecord next, long nowMs) throws HoldsUnavailableException {
        return write(() -> answers.replace(ANSWER + expected.id(), expected.encode(), next.encode(),
                HoldRules.answerLifespanMs(next, nowMs), TimeUnit.MILLISECONDS));
    }

    /**
     * Records that a release operation was used for this hold, unless it was used already; returns the hold
     * it was used for before, or null when recorded now.
     */
    public String recordRelease(String clientId, String operationId, HoldRecord hold, long nowMs)
            throws HoldsUnavailableException {
        return write(() -> answers.putIfAbsent(RELEASE + clientId + "|" + operationId, hold.id(),
                HoldRules.answerLifespanMs(hold, nowMs), TimeUnit.MILLISECONDS));
    }

    @FunctionalInterface
    private interface CacheWork<T> {
        T run();
    }

    private static <T> T read(CacheWork<T> work) throws HoldsUnavailableException {
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw new HoldsUnavailableException("the holds cache could not be read: " + e);
        }
    }

    private static <T> T write(CacheWork<T> work) throws HoldsUnavailableException {
        try {
            return work.run();
        } catch (RuntimeException e) {
            // Infinispan's TimeoutException and CacheException: the other node did not answer in time, or
            // the topology changed under the write; the write may or may not be applied there
            throw new HoldsUnavailableException("the holds cache could not be written on both nodes: " + e);
        }
    }
}
