// SPDX-License-Identifier: Apache-2.0
package dev.servitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;

/**
 * The layering of core (docs/conventions.md, and the package list in the root package-info):
 * its packages form layers, each of which may use only the layers below it; SQL lives only in
 * the Jdbi store package; and core knows nothing of HTTP or JSON libraries, which belong to the
 * server module.
 */
@AnalyzeClasses(packages = "dev.servitor", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private record Layer(String name, String... packages) {
        String[] qualified() {
            return Arrays.stream(packages).map(p -> p.isEmpty() ? "dev.servitor" : "dev.servitor." + p).toArray(String[]::new);
        }
    }

    /**
     * Bottom first. A layer may use any layer below it and none above. Packages that share a
     * layer may use each other, but without cycles (the slices rule below).
     */
    private static final List<Layer> LAYERS = List.of(
        new Layer("foundation", "crypto", "config", "outbound"),
        new Layer("common", "common"),
        new Layer("caller vocabulary", "caller"),
        new Layer("transactions", "store"),
        new Layer("authorization", "authz"),
        new Layer("directory", "directory"),
        new Layer("audit", "audit"),
        new Layer("features", "access", "network", "apikey", "compute", "workspace", "oauthclient", "token", "account", "user", "org", "webhook", "policy", "leak", "publickey", "federation"),
        new Layer("authentication", "authn"),
        new Layer("protocols", "oauth", "adminql"),
        new Layer("jdbi stores", "store.jdbi"),
        new Layer("composition root", ""));

    @ArchTest
    static final ArchRule no_package_uses_a_layer_above_its_own = layers();

    private static ArchRule layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer layer : LAYERS) rule = rule.layer(layer.name()).definedBy(layer.qualified());
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(Layer::name).toArray(String[]::new);
            rule = rule.whereLayer(LAYERS.get(i).name()).mayOnlyBeAccessedByLayers(above);
        }
        return rule.whereLayer(LAYERS.get(LAYERS.size() - 1).name()).mayNotBeAccessedByAnyLayer()
            .because("an import running back up makes two layers one (issue 15)");
    }

    /** A new package must be given its place in {@link #LAYERS}, or the layering would not speak of it. */
    @ArchTest
    static final ArchRule every_package_has_a_layer =
        classes().that().resideInAPackage("dev.servitor..")
            .should().resideInAnyPackage(LAYERS.stream().flatMap(l -> Arrays.stream(l.qualified())).toArray(String[]::new))
            .because("every package of core is placed in a layer of ArchitectureTest.LAYERS");

    @ArchTest
    static final ArchRule packages_are_free_of_cycles =
        slices().matching("dev.servitor.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule only_the_jdbi_store_package_uses_jdbi_or_jdbc =
        noClasses().that().resideInAPackage("dev.servitor..")
            .and().resideOutsideOfPackage("dev.servitor.store.jdbi..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..")
            .because("SQL lives only in the store package (docs/conventions.md)");

    @ArchTest
    static final ArchRule core_does_not_depend_on_http_or_json_libraries =
        noClasses().that().resideInAPackage("dev.servitor..")
            .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "com.fasterxml.jackson..")
            .because("core has no HTTP; the server module maps it to the wire");

    /** Guards the rules above against passing vacuously: the store must be what uses JDBI. */
    @ArchTest
    static final ArchRule the_jdbi_stores_live_in_the_jdbi_store_package =
        classes().that().haveSimpleNameStartingWith("Jdbi")
            .should().resideInAPackage("dev.servitor.store.jdbi..")
            .andShould().dependOnClassesThat().resideInAPackage("org.jdbi..");
}
