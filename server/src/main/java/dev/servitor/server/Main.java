// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server;

import dev.servitor.server.cli.AdminTokenCommand;
import dev.servitor.server.cli.ServeCommand;
import dev.servitor.server.cli.SigningKeysCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code servitor serve} runs the server; other verbs are tools and clients. */
@Command(name = "servitor", mixinStandardHelpOptions = true, version = "servitor 0.1.0",
    description = "Service accounts, API keys and OAuth tokens for your platform's customers.",
    subcommands = {ServeCommand.class, AdminTokenCommand.class, SigningKeysCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0 || !isServe(args)) System.exit(code);
    }

    private static boolean isServe(String[] args) {
        for (String a : args) if (a.equals("serve")) return true;
        return false;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'servitor serve'");
    }
}
