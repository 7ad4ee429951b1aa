package org.duplex.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfTheTextbookSample() {
        // the worked example of the nearest-rank method: 15, 20, 35, 40, 50
        Percentiles p = Percentiles.of(List.of(50, 15, 40, 20, 35));

        assertEquals(15, p.percentile(5));
        assertEquals(20, p.percentile(30));
        assertEquals(20, p.percentile(40));
        assertEquals(35, p.percentile(50));
        assertEquals(50, p.percentile(100));
    }

    @Test
    void medianOfAnEvenSampleIsTheLowerMiddleValue() {
        assertEquals(243, Percentiles.of(List.of(257, 243)).median());
        assertEquals(2, Percentiles.of(List.of(4, 1, 3, 2)).median());
    }

    @Test
    void p99OfASmallSampleIsItsMaximum() {
        Percentiles p = Percentiles.of(List.of(90.0, 120.5, 75.0));

        assertEquals(120.5, p.percentile(99));
        assertEquals(120.5, p.max());
    }

    @Test
    void p99OfAHundredValuesIsThe99thSmallest() {
        Percentiles p = Percentiles.of(IntStream.rangeClosed(1, 100).boxed().toList());

        assertEquals(99, p.percentile(99));
        assertEquals(50, p.median());
        assertEquals(1, p.percentile(0));
        assertEquals(1, p.percentile(1));
        assertEquals(2, p.percentile(1.5));
    }

    @Test
    void singleValueIsEveryPercentile() {
        Percentiles p = Percentiles.of(List.of(7));

        assertEquals(7, p.percentile(0));
        assertEquals(7, p.median());
        assertEquals(7, p.max());
        assertEquals(1, p.count());
    }

    @Test
    void emptySampleHasNoPercentile() {
        Percentiles p = Percentiles.of(List.of());

        assertTrue(p.isEmpty());
        assertThrows(NoSuchElementException.class, p::median);
    }

    @Test
    void rejectsPercentilesOutsideTheRangeAndNaNValues() {
        Percentiles p = Percentiles.of(List.of(1, 2));

        assertThrows(IllegalArgumentException.class, () -> p.percentile(-1));
        assertThrows(IllegalArgumentException.class, () -> p.percentile(100.1));
        assertThrows(IllegalArgumentException.class, () -> p.percentile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(1.0, Double.NaN)));
    }
}
