package org.duplex.bench.report;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.duplex.client.cli.JsonDocuments;

/**
 * {@code results.json}: what the bench runner measured, written by the runner and read by the report through
 * this one type. A section the run did not do is {@code null} and left out of the file; a figure a side does not
 * measure (the stock side's promotion, Duplex's recovery) likewise, so that the report can tell "not measured"
 * from zero. Numbers are boxed for that reason: ms and rates {@code Double} (a file may hold fractions),
 * counts {@code Long}.
 */
@JsonbPropertyOrder({"date", "machine", "command", "note", "throughput", "failover", "timeline", "hung", "switchover",
        "catchUp", "holds"})
public record BenchResults(String date, Machine machine, String command, String note, List<ThroughputCell> throughput,
                           Failover failover, Timeline timeline, Runs<HungRun> hung, Runs<SwitchoverRun> switchover,
                           Runs<CatchUpRun> catchUp, Holds holds) {

    /** The file's text. */
    public String toJson() {
        return JsonDocuments.write(this);
    }

    /**
     * @throws IllegalArgumentException the text is not well-formed JSON, or a member does not fit its type
     */
    public static BenchResults read(String json) {
        return JsonDocuments.read(json, BenchResults.class);
    }

    @JsonbPropertyOrder({"cores", "memoryGiB", "java", "os"})
    public record Machine(Integer cores, Double memoryGiB, String java, String os) {
    }

    /** One cell of the throughput table: a thread count in one mode ({@code xa} or {@code single}). */
    @JsonbPropertyOrder({"threads", "mode", "opsPerSec", "p50Ms", "p99Ms", "requests", "errors"})
    public record ThroughputCell(Integer threads, String mode, Double opsPerSec, Double p50Ms, Double p99Ms,
                                 Long requests, Long errors) {
    }

    /** The runs of one part, in the order they ran; absent runs read as none. */
    public record Runs<T>(List<T> runs) {
        public Runs {
            runs = runs == null ? List.of() : List.copyOf(runs);
        }
    }

    /** The failover drill, Duplex and WildFly's stock answer side by side. */
    @JsonbPropertyOrder({"duplex", "stock"})
    public record Failover(Runs<FailoverRun> duplex, Runs<FailoverRun> stock) {
    }

    /**
     * One {@code kill -9} of the primary under load. Duplex runs carry {@code promotionMs} and {@code duplicates};
     * stock runs carry the id-by-id counts ({@code acknowledgedMissingA/B}, {@code rowsInOneDatabase}), the
     * errors whose write committed anyway, and {@code recoveryMs}: from the killed node's restart until no prepared
     * transaction was left, absent when none was.
     */
    @JsonbPropertyOrder({"outageMs", "promotionMs", "acknowledged", "rowsA", "rowsB", "duplicates", "errors",
            "committedDespiteError", "acknowledgedMissingA", "acknowledgedMissingB", "rowsInOneDatabase", "preparedLeft",
            "recoveryMs", "rowsInOneDatabaseAfterRecovery", "firstError"})
    public record FailoverRun(Double outageMs, Double promotionMs, Long acknowledged, Long rowsA, Long rowsB,
                              Long duplicates, Long errors, Long committedDespiteError, Long acknowledgedMissingA,
                              Long acknowledgedMissingB, Long rowsInOneDatabase, Long preparedLeft, Double recoveryMs,
                              Long rowsInOneDatabaseAfterRecovery, String firstError) {
    }

    /** The first failover run over time: successes and latency per bucket, and what happened when. */
    @JsonbPropertyOrder({"bucketMs", "buckets", "events"})
    public record Timeline(Double bucketMs, List<Bucket> buckets, List<Event> events) {
        public Timeline {
            buckets = buckets == null ? List.of() : List.copyOf(buckets);
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** {@code tMs} from the start of the load; latencies of the bucket's successes, absent when it had none. */
    @JsonbPropertyOrder({"tMs", "successes", "p50Ms", "maxMs"})
    public record Bucket(Double tMs, Long successes, Double p50Ms, Double maxMs) {
    }

    @JsonbPropertyOrder({"tMs", "label"})
    public record Event(Double tMs, String label) {
    }

    /** One {@code SIGSTOP} of the primary; {@code committedAfterPromotion} must be 0. */
    @JsonbPropertyOrder({"promotionMs", "outageMs", "committedAfterPromotion", "errors"})
    public record HungRun(Double promotionMs, Double outageMs, Long committedAfterPromotion, Long errors) {
    }

    @JsonbPropertyOrder({"pauseMs", "errors"})
    public record SwitchoverRun(Double pauseMs, Long errors) {
    }

    /** One replay of the journal into a database that was down. */
    @JsonbPropertyOrder({"entries", "ms", "entriesPerSec", "errors"})
    public record CatchUpRun(Long entries, Double ms, Double entriesPerSec, Long errors) {
    }

    /**
     * Holds (docs/holds.md): {@code operations} rounds of reserve, hold and confirm from one thread, their latency
     * p50 and p99 in ms; then holds acknowledged while the primary was killed against those the new primary holds
     * live ({@code liveAfterKill}, must equal {@code acknowledgedBeforeKill}), and the promotion's time.
     */
    @JsonbPropertyOrder({"operations", "reserveP50Ms", "reserveP99Ms", "holdP50Ms", "holdP99Ms", "confirmP50Ms",
            "confirmP99Ms", "acknowledgedBeforeKill", "liveAfterKill", "promotionMs"})
    public record Holds(Long operations, Double reserveP50Ms, Double reserveP99Ms, Double holdP50Ms, Double holdP99Ms,
                        Double confirmP50Ms, Double confirmP99Ms, Long acknowledgedBeforeKill, Long liveAfterKill,
                        Double promotionMs) {
    }
}
