// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.CommandGroup;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor role …}: named sets of permissions (built-in: admin, contributor, user, viewer, inference-user). */
@Command(name = "role", mixinStandardHelpOptions = true, description = "Manage roles.",
    subcommands = {RoleCommand.Create.class, RoleCommand.List.class, RoleCommand.Get.class, RoleCommand.Update.class,
        RoleCommand.Delete.class})
public final class RoleCommand extends CommandGroup {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a role.")
    public static final class Create extends ResourceWriteCommand {
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--permission", paramLabel = "P", description = "A permission (repeatable).")
        java.util.List<String> permissions;

        public Create() { super(Resource.ROLE, true, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("description", description);
            b.put("permissions", permissions);
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List roles.")
    public static final class List extends ResourceListCommand {
        public List() { super(Resource.ROLE); }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a role.")
    public static final class Get extends ResourceGetCommand {
        public Get() { super(Resource.ROLE); }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a role's description or permissions.")
    public static final class Update extends ResourceWriteCommand {
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--permission", paramLabel = "P", description = "The permissions, replacing the current ones (repeatable).")
        java.util.List<String> permissions;

        public Update() { super(Resource.ROLE, false, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("description", description);
            b.put("permissions", permissions);
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a role.")
    public static final class Delete extends ResourceDeleteCommand {
        public Delete() { super(Resource.ROLE); }
    }
}
