// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ApiException;
import dev.servitor.sdk.ServitorClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code servitor sql 'STATEMENTS'} or {@code servitor sql -f FILE.sql}: the statement language of docs/sql.md. */
@Command(name = "sql", mixinStandardHelpOptions = true, description = "Run statements of Servitor's SQL (docs/sql.md).")
public final class SqlCommand extends ApiCommand {
    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    static final class Source {
        @Parameters(paramLabel = "STATEMENTS", description = "Statements, separated by ';'.") String text;
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "Read the statements from FILE.") Path file;
    }

    @Override
    protected int execute(ServitorClient client, Printer out) throws Exception {
        String statements = source.file != null ? Files.readString(source.file, StandardCharsets.UTF_8) : source.text;
        Map<String, Object> answer;
        try {
            answer = client.send("POST", "/v1/sql", statements).object();
        } catch (ApiException e) {
            Object statement = e.body().get("statement");
            if (statement != null) err().println("In statement " + e.body().get("statement_index") + ": " + statement);
            throw e; // the statements before it stay applied; the detail and exit 1 as for any API error
        }
        if (!out.isTable()) {
            out.data(answer);
            return OK;
        }
        Object results = answer.get("results");
        boolean first = true;
        for (Object r : results instanceof List<?> l ? l : List.of()) {
            if (!(r instanceof Map<?, ?> result)) continue;
            if (!first) out.line("");
            first = false;
            out.line("-- " + Printer.cell(result.get("statement")));
            List<Column> columns = new ArrayList<>();
            Object cols = result.get("columns");
            int i = 0;
            for (Object c : cols instanceof List<?> cl ? cl : List.of()) {
                int index = i++;
                columns.add(new Column(Printer.cell(c).toUpperCase(java.util.Locale.ROOT), row -> row.get("#" + index)));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            Object rs = result.get("rows");
            for (Object row : rs instanceof List<?> rl ? rl : List.of()) {
                Map<String, Object> cells = new java.util.HashMap<>();
                if (row instanceof List<?> values) for (int j = 0; j < values.size(); j++) cells.put("#" + j, values.get(j));
                rows.add(cells);
            }
            if (!columns.isEmpty()) out.table(rows, columns); // a statement without a result set shows only its line
        }
        return OK;
    }
}
