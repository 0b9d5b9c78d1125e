// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.audit;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.AuditEvent;
import dev.servitor.sdk.AuditQuery;
import dev.servitor.sdk.ServitorClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor audit list [--actor A] [--action X] [--since T]}: every matching event, oldest first as the API orders them. */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List audit events.")
public final class AuditListCommand extends ApiCommand {
    @Option(names = "--actor", paramLabel = "EMAIL") String actor;
    @Option(names = "--action", paramLabel = "X", description = "e.g. key.create") String action;
    @Option(names = "--target", paramLabel = "T") String target;
    @Option(names = "--since", paramLabel = "TIME", description = "RFC 3339, e.g. 2026-01-01T00:00:00Z") String since;
    @Option(names = "--until", paramLabel = "TIME") String until;

    @Override
    protected int execute(ServitorClient client, Printer out) {
        AuditQuery q = AuditQuery.all().actor(actor).action(action).target(target).since(since).until(until);
        out.list(client.listAuditEvents(q).stream().map(AuditEvent::json).toList(), Views.AUDIT_EVENT);
        return OK;
    }
}
