// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.apikey.KeyRestrictions.Refill;
import dev.servitor.apikey.KeyRestrictions.Refill.Interval;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefillScheduleTest {
    private static final Instant CREATED = Instant.parse("2030-01-31T10:00:00Z");

    @Test
    void days_count_from_the_keys_creation() {
        Refill daily = new Refill(5, Interval.DAY);
        assertThat(RefillSchedule.periodAt(daily, CREATED, CREATED)).isZero();
        assertThat(RefillSchedule.periodAt(daily, CREATED, Instant.parse("2030-02-01T09:59:59Z"))).isZero();
        assertThat(RefillSchedule.periodAt(daily, CREATED, Instant.parse("2030-02-01T10:00:00Z"))).isEqualTo(1);
        assertThat(RefillSchedule.periodAt(null, CREATED, Instant.parse("2031-01-01T00:00:00Z"))).isZero();
    }

    @Test
    void a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month() {
        Refill monthly = new Refill(5, Interval.MONTH);
        assertThat(RefillSchedule.periodAt(monthly, CREATED, Instant.parse("2030-02-28T09:59:59Z"))).isZero();
        assertThat(RefillSchedule.periodAt(monthly, CREATED, Instant.parse("2030-02-28T10:00:00Z"))).isEqualTo(1);
        assertThat(RefillSchedule.periodStart(monthly, CREATED, 1)).isEqualTo(Instant.parse("2030-02-28T10:00:00Z"));
        assertThat(RefillSchedule.periodAt(monthly, CREATED, Instant.parse("2030-03-31T10:00:00Z"))).isEqualTo(2);
        assertThat(RefillSchedule.periodAt(monthly, CREATED, Instant.parse("2031-01-31T10:00:00Z"))).isEqualTo(12);
    }
}
