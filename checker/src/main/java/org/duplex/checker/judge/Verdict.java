package org.duplex.checker.judge;

import java.util.List;
import java.util.Map;

/**
 * The checker's judgement of one property over a whole history: passed or not, the counts it rests
 * on (in a stable order), and up to {@link Check#MAX_DETAILS} examples of what broke it.
 */
public record Verdict(String property, boolean pass, Map<String, Long> counts, List<String> examples) {

    public Verdict {
        counts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
        examples = List.copyOf(examples.size() > Check.MAX_DETAILS ? examples.subList(0, Check.MAX_DETAILS) : examples);
    }
}
