// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints API objects as a table (an upper-case header row, columns two spaces apart), as JSON (the
 * objects exactly as the API sent them; a list prints the array), or as YAML (the same data).
 */
public final class Printer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two-space indents, {@code "key": value} as jq and the API docs write it, arrays one item a line. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("").withObjectEmptySeparator(""))
        .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)); // a name "123" stays a string

    private final PrintWriter out;
    private final OutputFormat format;

    public Printer(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    public OutputFormat format() { return format; }
    public boolean isTable() { return format == OutputFormat.table; }

    /** One object: a one-row table, or the object itself. */
    public void object(Map<String, Object> o, List<Column> columns) {
        if (isTable()) table(List.of(o), columns);
        else data(o);
    }

    /** A list: a table with a row per item, or the array. */
    public void list(List<Map<String, Object>> items, List<Column> columns) {
        if (isTable()) table(items, columns);
        else data(items);
    }

    /** A list whose shape this CLI does not know yet: every field of the items becomes a column. */
    public void anyList(List<Map<String, Object>> items) {
        list(items, columnsOf(items));
    }

    /** An object whose shape this CLI does not know yet. */
    public void anyObject(Map<String, Object> o) {
        object(o, columnsOf(List.of(o)));
    }

    /** Data as JSON or YAML whatever the format (table falls back to JSON for shapes that are not tabular). */
    public void data(Object value) {
        try {
            String s = format == OutputFormat.yaml ? YAML.writeValueAsString(value) : JSON.writer(PRETTY).writeValueAsString(value);
            out.print(s.endsWith("\n") ? s : s + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    public void line(String s) {
        out.println(s);
        out.flush();
    }

    /** Writes the rows under an upper-case header, each column as wide as its widest cell. */
    public void table(List<Map<String, Object>> items, List<Column> columns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(columns.stream().map(Column::header).toArray(String[]::new));
        for (Map<String, Object> item : items) {
            rows.add(columns.stream().map(c -> cell(c.value().apply(item))).toArray(String[]::new));
        }
        int[] width = new int[columns.size()];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) b.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof List<?> l) return l.stream().map(Printer::cell).collect(Collectors.joining(","));
        if (v instanceof Map<?, ?> m) {
            try {
                return JSON.writeValueAsString(m);
            } catch (JsonProcessingException e) {
                return m.toString();
            }
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) return Long.toString(d.longValue());
        return v.toString();
    }

    static List<Column> columnsOf(List<Map<String, Object>> items) {
        LinkedHashSet<String> fields = new LinkedHashSet<>();
        for (Map<String, Object> i : items) fields.addAll(i.keySet());
        return fields.stream().map(Column::field).toList();
    }
}
