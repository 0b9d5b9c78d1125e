// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server;

import dev.servitor.cli.CompletionCommand;
import dev.servitor.cli.GlobalOptions;
import dev.servitor.cli.LoginCommand;
import dev.servitor.cli.SecretCommand;
import dev.servitor.cli.SqlCommand;
import dev.servitor.cli.TokenCommand;
import dev.servitor.cli.WhoamiCommand;
import dev.servitor.cli.access.GroupCommand;
import dev.servitor.cli.access.PolicyCommand;
import dev.servitor.cli.access.RoleCommand;
import dev.servitor.cli.access.UserCommand;
import dev.servitor.cli.audit.AuditCommand;
import dev.servitor.cli.key.KeyCommand;
import dev.servitor.cli.sa.SaCommand;
import dev.servitor.cli.webhook.WebhookCommand;
import dev.servitor.server.cli.AdminTokenCommand;
import dev.servitor.server.cli.ServeCommand;
import dev.servitor.server.cli.SigningKeysCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code servitor serve} runs the server; other verbs are tools and clients. */
@Command(name = "servitor", mixinStandardHelpOptions = true, version = "servitor 0.1.0",
    description = "Service accounts, API keys and OAuth tokens for your platform's customers.",
    subcommands = {ServeCommand.class, AdminTokenCommand.class, SigningKeysCommand.class, CommandLine.HelpCommand.class,
        SaCommand.class, KeyCommand.class, SecretCommand.class, TokenCommand.class, UserCommand.class, GroupCommand.class,
        RoleCommand.class, PolicyCommand.class, AuditCommand.class, WebhookCommand.class, SqlCommand.class, WhoamiCommand.class,
        LoginCommand.class, CompletionCommand.class, dev.servitor.cli.org.OrgCommand.class,
        dev.servitor.cli.federation.FederationCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** --url, --token and -o before the verb ({@code servitor -o json sa list}); the client verbs read them from here. */
    @CommandLine.Mixin
    GlobalOptions global;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            // the server alone: building every client verb's command model first costs start-up time
            ServeCommand serve = new ServeCommand();
            int code = new CommandLine(serve).setCommandName("servitor serve")
                .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
            // a training run's server is gone, but Javalin's start-up watchdog thread would hold the JVM for seconds
            if (code != 0 || serve.trainedAndStopped()) System.exit(code);
            return;
        }
        int code = commandLine().execute(args);
        if (code != 0 || !isServe(args)) System.exit(code);
    }

    /**
     * The whole command line. A key's kid may begin with {@code -} (an RFC 7638 thumbprint does one time in 64), so
     * {@code sa public-key remove} takes an argument that looks like an unknown option as its KID rather than refusing it.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("sa").getSubcommands().get("public-key").getSubcommands().get("remove")
            .setUnmatchedOptionsArePositionalParams(true);
        return cl;
    }

    /** True for {@code servitor [global options] serve …}: the server keeps running after main returns. */
    private static boolean isServe(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) return a.equals("serve");
        }
        return false;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'servitor serve'");
    }
}
