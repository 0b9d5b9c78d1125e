// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.key;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.cli.Views;
import dev.servitor.sdk.ApiKey;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code servitor key update --service-account NAME KEY_ID [options]} ({@code PATCH …/keys/{key_id}}):
 * the restrictions given replace the key's, the others stay; {@code --clear WHAT} removes one
 * ({@code permissions}, {@code allowed_ips}, {@code rate_limit}, {@code remaining_uses}, {@code refill})
 * or {@code all}. The secret is not changed and not printed.
 */
@Command(name = "update", aliases = "restrict", mixinStandardHelpOptions = true,
    description = "Change an API key's restrictions, name or description (the secret stays the same).")
public final class KeyUpdateCommand extends ApiCommand {
    private static final List<String> CLEARABLE = List.of("permissions", "allowed_ips", "rate_limit", "remaining_uses", "refill", "all");

    @ArgGroup(exclusive = true, multiplicity = "1") KeyOwner owner;
    @Parameters(paramLabel = "KEY_ID") String keyId;
    @Option(names = "--name", paramLabel = "N") String name;
    @Option(names = "--description", paramLabel = "D") String description;
    @Mixin RestrictionOptions restrictions = new RestrictionOptions();
    @Option(names = "--clear", paramLabel = "WHAT", description = "Remove a restriction (repeatable): ${COMPLETION-CANDIDATES}.",
        completionCandidates = Clearable.class)
    List<String> clear;

    static final class Clearable extends java.util.ArrayList<String> {
        Clearable() { super(CLEARABLE); }
    }

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) body.put("name", name);
        if (description != null) body.put("description", description);
        Map<String, Object> r = restrictions.members();
        if (clear != null) {
            for (String c : clear) {
                if (!CLEARABLE.contains(c)) {
                    throw new ParameterException(spec.commandLine(), "--clear takes one of " + String.join(", ", CLEARABLE) + ", not '" + c + "'");
                }
                if (r.containsKey(c)) throw new ParameterException(spec.commandLine(), "--clear " + c + " and a new value at once");
                if (!c.equals("all")) r.put(c, null);
            }
        }
        if (clear != null && clear.contains("all")) {
            if (!r.isEmpty()) throw new ParameterException(spec.commandLine(), "--clear all with other restrictions at once");
            body.put("restrictions", null);
        } else if (!r.isEmpty()) {
            body.put("restrictions", r);
        }
        if (body.isEmpty()) throw new ParameterException(spec.commandLine(), "nothing to change: give a restriction, --clear, --name or --description");
        ApiKey key = owner.isUser() ? client.updateUserKey(owner.user, keyId, body) : client.updateKey(owner.serviceAccount, keyId, body);
        out.object(key.json(), Views.KEY);
        return OK;
    }
}
