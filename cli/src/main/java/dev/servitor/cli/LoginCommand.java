// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ApiException;
import dev.servitor.sdk.Identity;
import dev.servitor.sdk.ServitorClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code servitor login --url URL --token TOKEN}: checks the credential with {@code /v1/whoami}, then stores
 * both in the config file (mode 0600, see {@link CliConfig}) for later commands.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = "Store the server URL and credential for later commands (file mode 0600).")
public final class LoginCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--url", paramLabel = "URL", description = "Servitor's base URL (default: as for other commands).") String url;
    @Option(names = "--token", paramLabel = "TOKEN", description = "API key or access token (default: $SERVITOR_TOKEN).") String token;
    @Option(names = "--no-verify", description = "Store without checking the credential against the server.") boolean noVerify;

    @Override
    public Integer call() {
        Settings inherited = Settings.resolve(spec);
        String u = url != null ? url : inherited.url();
        String t = token != null ? token : inherited.token();
        if (t == null) throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--token=TOKEN'");
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        try {
            String who = "";
            if (!noVerify) {
                Identity id = ServitorClient.builder().url(u).token(t).build().whoami();
                who = id.principal() == null ? "" : " as " + id.principal().name() + " (" + id.principal().type() + ")";
            }
            Path saved = CliConfig.save(u, t);
            out.println("Logged in to " + u + who + "; settings saved in " + saved);
            return 0;
        } catch (ApiException e) {
            err.println("Error: " + e.detail() + (e.code() == null ? "" : " (" + e.status() + " " + e.code() + ")"));
            return 1;
        } catch (UncheckedIOException | IOException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
