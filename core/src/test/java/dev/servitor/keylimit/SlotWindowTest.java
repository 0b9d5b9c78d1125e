// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotWindowTest {
    private static final int PERIOD = 10; // seconds: slots of 1 s

    /** The window's promise: no span of one period holds more than the limit, whatever the arrival pattern. */
    @Test
    void no_span_of_one_period_admits_more_than_the_limit() {
        int limit = 50;
        Random random = new Random(18);
        for (int round = 0; round < 50; round++) {
            SlotWindow w = SlotWindow.empty(PERIOD, 0);
            List<Long> admitted = new ArrayList<>();
            long now = 0;
            for (int i = 0; i < 5_000; i++) {
                now += random.nextInt(round % 2 == 0 ? 40 : 400); // bursts and trickles
                w.advanceTo(SlotWindow.slotAt(PERIOD, now));
                if (w.take(limit, 1) == 1) admitted.add(now);
            }
            assertThat(maxInAnySpan(admitted, PERIOD * 1000L)).isLessThanOrEqualTo(limit);
            assertThat(admitted.size()).as("a steady stream still gets the limit per 1.1 periods")
                .isGreaterThanOrEqualTo((int) (limit * (now / (PERIOD * 1100.0)) * 0.9));
        }
    }

    static int maxInAnySpan(List<Long> sortedTimes, long spanMillis) {
        int max = 0;
        int from = 0;
        for (int to = 0; to < sortedTimes.size(); to++) {
            while (sortedTimes.get(to) - sortedTimes.get(from) >= spanMillis) from++;
            max = Math.max(max, to - from + 1);
        }
        return max;
    }

    @Test
    void a_full_window_says_when_the_oldest_uses_leave_it() {
        SlotWindow w = SlotWindow.empty(PERIOD, 100); // slot 100 starts at 100 s
        assertThat(w.take(3, 2)).isEqualTo(2);
        w.advanceTo(103);
        assertThat(w.take(3, 5)).as("only what the limit leaves is granted").isEqualTo(1);
        assertThat(w.available(3)).isZero();
        // the two uses of slot 100 leave the window at slot 111 (111 s): 7.5 s after 103.5 s, rounded up
        assertThat(w.retryAfterSeconds(3, 103_500)).isEqualTo(8);
        assertThat(w.retryAfterSeconds(3, 102_000)).isEqualTo(9);
        w.advanceTo(111);
        assertThat(w.available(3)).isEqualTo(2);
    }

    @Test
    void uses_given_back_are_uncounted_only_while_their_slot_is_in_the_window() {
        SlotWindow w = SlotWindow.empty(PERIOD, 5);
        w.take(10, 4);
        w.advanceTo(7);
        w.giveBack(5, 3);
        assertThat(w.used()).isEqualTo(1);
        w.giveBack(-20, 1); // long gone: nothing to uncount
        w.giveBack(5, 9);
        assertThat(w.used()).isZero();
        w.advanceTo(6); // never backwards
        assertThat(w.slot()).isEqualTo(7);
    }
}
