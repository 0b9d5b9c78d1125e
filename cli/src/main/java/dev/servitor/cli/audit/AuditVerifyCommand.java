// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.audit;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Column;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.AuditChain;
import dev.servitor.sdk.ServitorClient;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code servitor audit verify}: checks the hash chain; exit 1 when it is broken, so scripts can alert. */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the audit log's hash chain (exit 1 if broken).")
public final class AuditVerifyCommand extends ApiCommand {
    static final List<Column> COLUMNS = List.of(Column.field("intact"), Column.field("events_checked"),
        Column.field("first_broken_id"), Column.field("reason"));

    @Override
    protected int execute(ServitorClient client, Printer out) {
        AuditChain chain = client.verifyAuditChain();
        out.object(chain.json(), COLUMNS);
        if (chain.intact()) return OK;
        err().println("Error: the audit chain is broken" + (chain.firstBrokenId() == null ? "" : " at " + chain.firstBrokenId()));
        return API_ERROR;
    }
}
