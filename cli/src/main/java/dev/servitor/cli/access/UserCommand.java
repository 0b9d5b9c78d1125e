// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.CommandGroup;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code servitor user …}: human users of the organization (service accounts never appear here). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage human users.",
    subcommands = {UserCommand.Create.class, UserCommand.List.class, UserCommand.Get.class, UserCommand.Update.class,
        UserCommand.Delete.class})
public final class UserCommand extends CommandGroup {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user.")
    public static final class Create extends ResourceWriteCommand {
        @Option(names = "--email", paramLabel = "E", required = true) String email;
        @Option(names = "--password", paramLabel = "P", description = "Console password (optional).") String password;
        @Option(names = "--role", paramLabel = "R") String role;
        @Option(names = "--org-admin") boolean orgAdmin;

        public Create() { super(Resource.USER, true, "username"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("email", email);
            b.put("password", password);
            b.put("role", role);
            if (orgAdmin) b.put("is_org_admin", true);
        }
    }

    @Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true, description = "List users.")
    public static final class List extends ResourceListCommand {
        public List() { super(Resource.USER); }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a user.")
    public static final class Get extends ResourceGetCommand {
        public Get() { super(Resource.USER); }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a user; only the options given change.")
    public static final class Update extends ResourceWriteCommand {
        @Option(names = "--email", paramLabel = "E") String email;
        @Option(names = "--password", paramLabel = "P") String password;
        @Option(names = "--current-password", paramLabel = "P",
            description = "Your current password: needed to change your own password or e-mail once you have one.") String currentPassword;
        @Option(names = "--role", paramLabel = "R") String role;
        @Option(names = "--org-admin", negatable = true) Boolean orgAdmin;

        public Update() { super(Resource.USER, false, "username"); }

        @Override
        void fields(Map<String, Object> b) {
            b.put("email", email);
            b.put("password", password);
            b.put("current_password", currentPassword);
            b.put("role", role);
            b.put("is_org_admin", orgAdmin);
        }
    }

    @Command(name = "delete", aliases = "rm", mixinStandardHelpOptions = true, description = "Delete a user.")
    public static final class Delete extends ResourceDeleteCommand {
        public Delete() { super(Resource.USER); }
    }
}
