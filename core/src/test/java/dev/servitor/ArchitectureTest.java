// SPDX-License-Identifier: Apache-2.0
package dev.servitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of core (docs/architecture.md, docs/conventions.md): SQL lives only in the store
 * package, and core knows nothing of HTTP or JSON libraries, which belong to the server module.
 */
@AnalyzeClasses(packages = "dev.servitor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule only_the_store_package_uses_jdbi_or_jdbc =
        noClasses().that().resideInAPackage("dev.servitor..")
            .and().resideOutsideOfPackage("dev.servitor.store..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..")
            .because("SQL lives only in the store package (docs/conventions.md)");

    @ArchTest
    static final ArchRule core_does_not_depend_on_http_or_json_libraries =
        noClasses().that().resideInAPackage("dev.servitor..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "com.fasterxml.jackson..")
            .because("core has no HTTP; the server module maps it to the wire");

    /** Guards the rules above against passing vacuously: the store must be what uses JDBI. */
    @ArchTest
    static final ArchRule the_jdbi_stores_live_in_the_store_package =
        classes().that().haveSimpleNameStartingWith("Jdbi")
            .should().resideInAPackage("dev.servitor.store..")
            .andShould().dependOnClassesThat().resideInAPackage("org.jdbi..");
}
