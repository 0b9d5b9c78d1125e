// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.org;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Column;
import dev.servitor.cli.CommandGroup;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor org policy show|set}: the credential policy (docs/api.md "Credential policy"). */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Show or change the organization's credential policy.",
    subcommands = {OrgPolicyCommand.Show.class, OrgPolicyCommand.Set.class})
public final class OrgPolicyCommand extends CommandGroup {
    static final List<Column> COLUMNS = List.of(Column.field("max_key_lifetime_days"), Column.field("dormant_after_days"),
        Column.field("on_leak"), Column.field("require_network_policy"));

    @SuppressWarnings("unchecked")
    static Map<String, Object> policyOf(Map<String, Object> org) {
        return (Map<String, Object>) org.get("credential_policy");
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show the credential policy.")
    public static final class Show extends ApiCommand {
        @Override
        protected int execute(ServitorClient client, Printer out) {
            out.object(policyOf(client.send("GET", "/v1/org", null).object()), COLUMNS);
            return OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
        description = "Change the credential policy; options not given stay as they are (0 days unsets a limit).")
    public static final class Set extends ApiCommand {
        @Option(names = "--max-key-lifetime-days", paramLabel = "DAYS",
            description = "Longest lifetime of a new key; 0 removes the limit.") Integer maxKeyLifetimeDays;
        @Option(names = "--dormant-after-days", paramLabel = "DAYS",
            description = "Unused keys are dormant after this many days; 0 removes the limit.") Integer dormantAfterDays;
        @Option(names = "--on-leak", paramLabel = "revoke|notify", description = "What a leaked credential gets.") String onLeak;
        @Option(names = "--require-network-policy", paramLabel = "true|false", arity = "1",
            description = "Whether a service account needs a network policy to authenticate.") Boolean requireNetworkPolicy;

        @Override
        protected int execute(ServitorClient client, Printer out) {
            Map<String, Object> policy = new LinkedHashMap<>();
            if (maxKeyLifetimeDays != null) policy.put("max_key_lifetime_days", maxKeyLifetimeDays == 0 ? null : maxKeyLifetimeDays);
            if (dormantAfterDays != null) policy.put("dormant_after_days", dormantAfterDays == 0 ? null : dormantAfterDays);
            if (onLeak != null) policy.put("on_leak", onLeak);
            if (requireNetworkPolicy != null) policy.put("require_network_policy", requireNetworkPolicy);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("credential_policy", policy);
            out.object(policyOf(client.send("PATCH", "/v1/org", body).object()), COLUMNS);
            return OK;
        }
    }
}
