// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.CommandGroup;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor group …}: groups grant their roles to their members. */
@Command(name = "group", mixinStandardHelpOptions = true, description = "Manage groups.",
    subcommands = {GroupCommand.Create.class, GroupCommand.List.class, GroupCommand.Get.class, GroupCommand.Update.class,
        GroupCommand.Delete.class})
public final class GroupCommand extends CommandGroup {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a group.")
    public static final class Create extends ResourceWriteCommand {
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--role", paramLabel = "R", description = "A role the group grants (repeatable).") java.util.List<String> roles;

        public Create() { super(Resource.GROUP, true, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("description", description);
            b.put("roles", roles);
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List groups.")
    public static final class List extends ResourceListCommand {
        public List() { super(Resource.GROUP); }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a group.")
    public static final class Get extends ResourceGetCommand {
        public Get() { super(Resource.GROUP); }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a group; only the options given change.")
    public static final class Update extends ResourceWriteCommand {
        @Option(names = "--name", paramLabel = "NEW") String newName;
        @Option(names = "--description", paramLabel = "D") String description;
        @Option(names = "--role", paramLabel = "R", description = "The roles, replacing the current ones (repeatable).") java.util.List<String> roles;

        public Update() { super(Resource.GROUP, false, "name"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("name", newName);
            b.put("description", description);
            b.put("roles", roles);
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a group.")
    public static final class Delete extends ResourceDeleteCommand {
        public Delete() { super(Resource.GROUP); }
    }
}
