package dev.servitor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servitor.testing.TestDatabases;
import org.junit.jupiter.api.Test;

class PgSmokeTest {
    @Test
    void opens_both() {
        try (Database d = Database.open(TestDatabases.postgres())) {
            assertThat(d.store().ping()).isTrue();
        }
        try (Database d = Database.open(TestDatabases.sqlite())) {
            assertThat(d.store().ping()).isTrue();
        }
    }
}
