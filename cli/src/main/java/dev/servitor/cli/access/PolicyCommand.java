// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.CommandGroup;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor policy …}: network policies ({@code /v1/network-policies}), allow and block lists of addresses. */
@Command(name = "policy", aliases = "network-policy", mixinStandardHelpOptions = true, description = "Manage network policies.",
    subcommands = {PolicyCommand.Create.class, PolicyCommand.List.class, PolicyCommand.Get.class, PolicyCommand.Update.class,
        PolicyCommand.Delete.class})
public final class PolicyCommand extends CommandGroup {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a network policy.")
    public static final class Create extends ResourceWriteCommand {
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--allow", paramLabel = "CIDR", description = "An allowed address or CIDR (repeatable).") java.util.List<String> allowed;
        @Option(names = "--block", paramLabel = "CIDR", description = "A blocked address or CIDR (repeatable).") java.util.List<String> blocked;

        public Create() { super(Resource.POLICY, true, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("description", description);
            b.put("allowed_ips", allowed);
            b.put("blocked_ips", blocked);
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List network policies.")
    public static final class List extends ResourceListCommand {
        public List() { super(Resource.POLICY); }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a network policy.")
    public static final class Get extends ResourceGetCommand {
        public Get() { super(Resource.POLICY); }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a network policy; only the options given change.")
    public static final class Update extends ResourceWriteCommand {
        @Option(names = "--name", paramLabel = "NEW") String newName;
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--allow", paramLabel = "CIDR", description = "The allow list, replacing the current one (repeatable).") java.util.List<String> allowed;
        @Option(names = "--block", paramLabel = "CIDR", description = "The block list, replacing the current one (repeatable).") java.util.List<String> blocked;

        public Update() { super(Resource.POLICY, false, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("name", newName);
            b.put("description", description);
            b.put("allowed_ips", allowed);
            b.put("blocked_ips", blocked);
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a network policy.")
    public static final class Delete extends ResourceDeleteCommand {
        public Delete() { super(Resource.POLICY); }
    }
}
