// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.servitor.store.Store;
import dev.servitor.testing.TestDatabases;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.servitor.store.Tx#table} hands out a table store for every feature's store interface:
 * a new interface that the Jdbi store does not know fails here, not in the first request that
 * needs it.
 */
class TableStoresTest {

    private static List<Class<?>> featureStoreInterfaces() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.servitor").stream()
            .filter(JavaClass::isInterface)
            .filter(c -> c.getSimpleName().endsWith("Store") && !c.isEquivalentTo(Store.class))
            .<Class<?>>map(JavaClass::reflect)
            .toList();
    }

    @Test
    void every_store_interface_of_a_feature_is_handed_out_by_a_transaction() {
        List<Class<?>> interfaces = featureStoreInterfaces();
        assertThat(interfaces).as("the feature store interfaces found").hasSizeGreaterThanOrEqualTo(13);

        try (Database db = Database.open(TestDatabases.fresh(TestDatabases.Engine.SQLITE))) {
            for (Class<?> type : interfaces) {
                assertThat(db.store().<Object>read(tx -> tx.table(type))).as(type.getName()).isInstanceOf(type);
            }
        }
    }

    @Test
    void a_type_that_is_no_table_store_is_refused() {
        try (Database db = Database.open(TestDatabases.fresh(TestDatabases.Engine.SQLITE))) {
            assertThatThrownBy(() -> db.store().read(tx -> tx.table(Runnable.class)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Runnable");
        }
    }
}
