// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servitor.common.ServiceException;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The bounds of a federated credential's condition, as docs/api.md states them. */
class CelConditionTest {
    @Test
    void a_condition_over_the_claims_holds_or_not() {
        String c = "claims.repository_owner == 'acme' && claims.ref.startsWith('refs/heads/')";
        CelCondition.check(c);
        assertThat(CelCondition.holds(c, Map.of("repository_owner", "acme", "ref", "refs/heads/main"))).isTrue();
        assertThat(CelCondition.holds(c, Map.of("repository_owner", "evil", "ref", "refs/heads/main"))).isFalse();
    }

    @Test
    void a_missing_claim_is_false_not_an_error() {
        assertThat(CelCondition.holds("claims.environment == 'production'", Map.of("ref", "x"))).isFalse();
        assertThat(CelCondition.holds("has(claims.environment) && claims.environment == 'production'",
            Map.of("environment", "production"))).isTrue();
    }

    @Test
    void a_comprehension_past_its_iteration_bound_is_false() {
        String c = "claims.items.all(i, i >= 0)";
        CelCondition.check(c);
        List<Long> small = LongStream.range(0, 10).boxed().toList();
        List<Long> huge = LongStream.range(0, CelCondition.MAX_ITERATIONS + 1).boxed().toList();
        assertThat(CelCondition.holds(c, Map.of("items", small))).isTrue();
        assertThat(CelCondition.holds(c, Map.of("items", huge))).isFalse();
    }

    /**
     * Attack review: nested comprehensions, each within the per-comprehension bound, multiply. An org
     * admin controls both the condition and (with an issuer of their own, inline key set) the token's
     * claims, so one exchange must not cost a node seconds of CPU.
     */
    @Test
    void nested_comprehensions_stay_cheap() {
        String c = "claims.items.all(a, claims.items.all(b, claims.items.all(d, a + b + d >= 0)))";
        CelCondition.check(c);
        List<Long> items = LongStream.range(0, CelCondition.MAX_ITERATIONS).boxed().toList();
        long start = System.nanoTime();
        boolean held = CelCondition.holds(c, Map.of("items", items));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(held).as("past the iteration bound: false").isFalse();
        assertThat(millis).as("one evaluation, in ms").isLessThan(1000);
    }

    @Test
    void an_expression_past_the_size_bound_is_refused_when_written() {
        String big = "claims.ref == '" + "a".repeat(CelCondition.MAX_CHARS) + "'";
        assertThatThrownBy(() -> CelCondition.check(big)).isInstanceOf(ServiceException.class)
            .satisfies(e -> assertThat(((ServiceException) e).field()).isEqualTo("condition"));
    }

    @Test
    void a_condition_that_is_not_a_bool_is_refused_with_its_position() {
        assertThatThrownBy(() -> CelCondition.check("claims.ref + 'x'")).isInstanceOf(ServiceException.class)
            .hasMessageContaining("condition");
        assertThatThrownBy(() -> CelCondition.check("claims.ref == ")).isInstanceOf(ServiceException.class)
            .hasMessageContaining("line 1, column");
    }
}
