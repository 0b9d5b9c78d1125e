// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables line up under an upper-case header; JSON and YAML show the objects unchanged. */
class PrinterTest {
    private static final List<Column> COLUMNS = List.of(Column.field("name"), Column.field("KEYS", "key_count"), Column.field("groups"));

    private static Map<String, Object> sa(String name, long keys, List<String> groups) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", name);
        o.put("key_count", keys);
        o.put("groups", groups);
        o.put("network_policy", null);
        return o;
    }

    private static String print(OutputFormat format, java.util.function.Consumer<Printer> body) {
        StringWriter w = new StringWriter();
        body.accept(new Printer(new PrintWriter(w), format));
        return w.toString();
    }

    @Test
    void a_table_has_an_upper_case_header_and_columns_two_spaces_apart() {
        String out = print(OutputFormat.table, p -> p.list(List.of(sa("ci-bot", 2, List.of("ci", "deploy")), sa("x", 10, List.of())), COLUMNS));
        assertThat(out.split("\n")).containsExactly(
            "NAME    KEYS  GROUPS",
            "ci-bot  2     ci,deploy",
            "x       10");
    }

    @Test
    void an_empty_list_is_a_header_in_a_table_and_an_empty_array_in_json() {
        assertThat(print(OutputFormat.table, p -> p.list(List.of(), COLUMNS))).isEqualTo("NAME  KEYS  GROUPS\n");
        assertThat(print(OutputFormat.json, p -> p.list(List.of(), COLUMNS)).strip()).isEqualTo("[]");
    }

    @Test
    void json_keeps_every_field_and_null() {
        String out = print(OutputFormat.json, p -> p.object(sa("ci-bot", 2, List.of("ci")), COLUMNS));
        assertThat(out).contains("\"name\": \"ci-bot\"").contains("\"key_count\": 2").contains("\"network_policy\": null");
    }

    @Test
    void yaml_shows_the_same_data() {
        String out = print(OutputFormat.yaml, p -> p.list(List.of(sa("ci-bot", 2, List.of("ci"))), COLUMNS));
        assertThat(out).contains("- name: ci-bot").contains("key_count: 2").contains("- ci").doesNotStartWith("---");
    }

    @Test
    void yaml_keeps_strings_that_look_like_numbers_booleans_or_null_as_strings() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", "123");
        o.put("description", "true");
        o.put("role", "null");
        o.put("key_count", 3L);
        String out = print(OutputFormat.yaml, p -> p.data(o));
        assertThat(out).contains("name: \"123\"").contains("description: \"true\"").contains("role: \"null\"").contains("key_count: 3");
    }

    @Test
    void shapes_the_cli_does_not_know_get_a_column_per_field() {
        String out = print(OutputFormat.table, p -> p.anyList(List.of(Map.of("permissions", List.of("a", "b")))));
        assertThat(out.split("\n")).containsExactly("PERMISSIONS", "a,b");
    }
}
