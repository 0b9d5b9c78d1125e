// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ServiceAccount;
import dev.servitor.sdk.ServiceAccountQuery;
import dev.servitor.sdk.ServitorClient;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor sa list [--filter 'role=contributor,group=ci,disabled=false']}: every page, in one table. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List service accounts.")
public final class SaListCommand extends ApiCommand {
    @Option(names = "--filter", paramLabel = "K=V,...",
        description = "Comma-separated conditions: name=PREFIX (or q=), role=R, group=G, disabled=true|false.")
    String filter;
    @Option(names = "--page-size", paramLabel = "N", description = "Page size asked of the server (all pages are fetched).")
    Integer pageSize;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        ServiceAccountQuery q = parseFilter().pageSize(pageSize);
        out.list(client.listServiceAccounts(q).stream().map(ServiceAccount::json).toList(), Views.SERVICE_ACCOUNT);
        return OK;
    }

    ServiceAccountQuery parseFilter() {
        ServiceAccountQuery q = ServiceAccountQuery.all();
        if (filter == null || filter.isBlank()) return q;
        for (String part : filter.split(",")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq <= 0) throw bad("'" + part + "' is not KEY=VALUE");
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            switch (key) {
                case "name", "q" -> q.q(value);
                case "role" -> q.role(value);
                case "group" -> q.group(value);
                case "disabled" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) throw bad("disabled must be true or false");
                    q.disabled(Boolean.parseBoolean(value));
                }
                default -> throw bad("unknown filter '" + key + "' (use name, role, group, disabled)");
            }
        }
        return q;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), "Invalid --filter: " + message);
    }
}
