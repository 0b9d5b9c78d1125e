// SPDX-License-Identifier: Apache-2.0
package dev.servitor.keylimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.account.NewServiceAccount;
import dev.servitor.apikey.ApiKey;
import dev.servitor.apikey.KeyRestrictions;
import dev.servitor.apikey.KeyRestrictions.RateLimit;
import dev.servitor.apikey.KeyRestrictions.Refill;
import dev.servitor.apikey.KeyRestrictions.Refill.Interval;
import dev.servitor.apikey.NewKey;
import dev.servitor.caller.KeyOwnerRef;
import dev.servitor.keylimit.Decision.Outcome;
import dev.servitor.testing.EngineContract;
import dev.servitor.testing.Race;
import dev.servitor.testing.TestDatabases.Engine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link KeyUsage} on one node of each engine, with real keys in a real store and a hand-moved clock. */
class KeyUsageTest {
    @Nested
    class OnSqlite extends Contract {
        @Override protected Engine engine() { return Engine.SQLITE; }
    }

    @Nested
    class OnPostgres extends Contract {
        @Override protected Engine engine() { return Engine.POSTGRES; }
    }

    abstract static class Contract extends EngineContract {
        private final AtomicInteger accounts = new AtomicInteger();

        ApiKey newKey() {
            String name = "limited-" + accounts.incrementAndGet();
            servitor.serviceAccounts().create(admin,
                new NewServiceAccount(name, null, null, null, null, null), false, false);
            return servitor.keys().create(admin, KeyOwnerRef.serviceAccount(name), new NewKey("k", null, null, null, null)).key();
        }

        KeyUsage usage() {
            return servitor.keyUsage();
        }

        static KeyRestrictions credits(long uses, Refill refill) {
            return new KeyRestrictions(null, null, null, uses, refill);
        }

        static KeyRestrictions rate(int limit, int periodSeconds, Long uses) {
            return new KeyRestrictions(null, null, new RateLimit(limit, periodSeconds), uses, null);
        }

        Decision admit(ApiKey key, KeyRestrictions r) {
            return usage().admit(key, r, clock.instant());
        }

        @Test
        void credits_count_down_to_usage_exceeded() {
            ApiKey key = newKey();
            KeyRestrictions r = credits(3, null);
            assertThat(usage().remaining(key, r, clock.instant())).isEqualTo(3);
            assertThat(List.of(admit(key, r), admit(key, r), admit(key, r))).extracting(Decision::remaining).containsExactly(2L, 1L, 0L);
            Decision fourth = admit(key, r);
            assertThat(fourth.outcome()).isEqualTo(Outcome.USAGE_EXCEEDED);
            assertThat(fourth.remaining()).isZero();
            assertThat(usage().remaining(key, r, clock.instant())).isZero();
        }

        @Test
        void unrestricted_keys_are_admitted_without_counting() {
            ApiKey key = newKey();
            assertThat(admit(key, null)).isEqualTo(Decision.UNLIMITED);
            assertThat(admit(key, KeyRestrictions.NONE)).isEqualTo(Decision.UNLIMITED);
            assertThat(usage().remaining(key, KeyRestrictions.NONE, clock.instant())).isNull();
        }

        @Test
        void a_daily_refill_sets_the_count_back_once_per_day_from_the_keys_creation() {
            ApiKey key = newKey();
            KeyRestrictions r = credits(2, new Refill(3, Interval.DAY));
            admit(key, r);
            admit(key, r);
            assertThat(admit(key, r).outcome()).isEqualTo(Outcome.USAGE_EXCEEDED);
            clock.advance(Duration.ofDays(1).minusSeconds(1));
            assertThat(admit(key, r).outcome()).as("not before the day is over").isEqualTo(Outcome.USAGE_EXCEEDED);
            clock.advanceSeconds(1);
            assertThat(usage().remaining(key, r, clock.instant())).isEqualTo(3);
            assertThat(admit(key, r).remaining()).as("set back to the amount, then one spent").isEqualTo(2);
            assertThat(admit(key, r).remaining()).as("the refill happened once").isEqualTo(1);
            clock.advance(Duration.ofDays(3));
            assertThat(admit(key, r).remaining()).as("days without use are not added up").isEqualTo(2);
        }

        @Test
        void a_monthly_refill_follows_the_calendar() {
            ApiKey key = newKey(); // created at the clock's start, 2030-01-01T00:00Z
            KeyRestrictions r = credits(1, new Refill(5, Interval.MONTH));
            admit(key, r);
            clock.advance(Duration.ofDays(30));
            assertThat(admit(key, r).outcome()).isEqualTo(Outcome.USAGE_EXCEEDED);
            clock.advance(Duration.ofDays(1)); // 2030-02-01 plus the time the earlier tests moved on
            assertThat(admit(key, r).remaining()).isEqualTo(4);
        }

        @Test
        void setting_restrictions_grants_the_uses_afresh() {
            ApiKey key = newKey();
            KeyRestrictions r = credits(1, null);
            admit(key, r);
            assertThat(admit(key, r).outcome()).isEqualTo(Outcome.USAGE_EXCEEDED);
            KeyRestrictions more = credits(5, null);
            servitor.store().write(tx -> {
                KeyCredits.reset(tx, key.id(), key.createdAt(), more, clock.instant());
                return null;
            });
            assertThat(admit(key, more).remaining()).isEqualTo(4);
        }

        @Test
        void a_rate_limit_refuses_with_an_honest_retry_after_then_admits_again() {
            ApiKey key = newKey();
            KeyRestrictions r = rate(5, 10, null);
            for (int i = 0; i < 5; i++) assertThat(admit(key, r).outcome()).isEqualTo(Outcome.VALID);
            Decision refused = admit(key, r);
            assertThat(refused.outcome()).isEqualTo(Outcome.RATE_LIMITED);
            // counted in 1 s slots over 11 of them: the slot of the first use leaves the window 10 to 11 s later
            assertThat(refused.retryAfterSeconds()).isBetween(10L, 11L);
            clock.advanceSeconds(refused.retryAfterSeconds() - 1);
            assertThat(admit(key, r).outcome()).as("not before the time it said").isEqualTo(Outcome.RATE_LIMITED);
            clock.advanceSeconds(1);
            assertThat(admit(key, r).outcome()).isEqualTo(Outcome.VALID);
        }

        @Test
        void a_use_refused_by_the_rate_limit_spends_no_credit_and_one_refused_for_credits_is_not_counted_as_a_use() {
            ApiKey key = newKey();
            KeyRestrictions r = rate(2, 60, 10L);
            assertThat(admit(key, r).remaining()).isEqualTo(9);
            assertThat(admit(key, r).remaining()).isEqualTo(8);
            assertThat(admit(key, r).outcome()).isEqualTo(Outcome.RATE_LIMITED);
            assertThat(usage().remaining(key, r, clock.instant())).isEqualTo(8);

            ApiKey other = newKey();
            KeyRestrictions one = rate(2, 60, 1L);
            assertThat(admit(other, one).remaining()).isZero();
            assertThat(admit(other, one).outcome()).isEqualTo(Outcome.USAGE_EXCEEDED);
            KeyRestrictions topped = rate(2, 60, 5L);
            servitor.store().write(tx -> {
                KeyCredits.reset(tx, other.id(), other.createdAt(), topped, clock.instant());
                return null;
            });
            assertThat(admit(other, topped).outcome()).as("the refused use left the rate limit's second use").isEqualTo(Outcome.VALID);
            assertThat(admit(other, topped).outcome()).isEqualTo(Outcome.RATE_LIMITED);
        }

        @Test
        @Timeout(value = 60, unit = TimeUnit.SECONDS)
        void racing_uses_spend_exactly_the_credits_granted() throws Exception {
            ApiKey key = newKey();
            KeyRestrictions r = credits(100, null);
            List<Decision> decisions = Race.run(32, 300, i -> admit(key, r));
            assertThat(decisions).filteredOn(Decision::admitted).hasSize(100);
            assertThat(decisions).filteredOn(Decision::admitted).extracting(Decision::remaining).doesNotHaveDuplicates();
            assertThat(usage().remaining(key, r, clock.instant())).isZero();
        }
    }
}
