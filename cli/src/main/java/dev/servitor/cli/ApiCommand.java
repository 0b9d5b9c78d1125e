// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ApiException;
import dev.servitor.sdk.ServitorClient;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A verb that calls the API. Exit status: 0 on success; 1 when the API answers an error (its
 * {@code detail} goes to stderr) or cannot be reached; picocli answers 2 for a malformed command line.
 */
public abstract class ApiCommand implements Callable<Integer> {
    public static final int OK = 0;
    public static final int API_ERROR = 1;

    @Spec
    protected CommandSpec spec;

    @Mixin
    GlobalOptions global;

    private Settings settings;

    /** The command's work; returns the exit status. */
    protected abstract int execute(ServitorClient client, Printer out) throws Exception;

    /** False for the few calls that authenticate otherwise (the OAuth token endpoint). */
    protected boolean needsToken() { return true; }

    @Override
    public final Integer call() throws Exception {
        settings = Settings.resolve(spec);
        if (needsToken() && settings.token() == null) {
            err().println("servitor: no credential: pass --token, set SERVITOR_TOKEN, or run `servitor login`");
            err().flush();
            return API_ERROR;
        }
        try {
            return execute(settings.client(), new Printer(spec.commandLine().getOut(), settings.output()));
        } catch (ApiException e) {
            err().println("Error: " + e.detail() + (e.code() == null ? "" : " (" + e.status() + " " + e.code() + ")"));
            return API_ERROR;
        } catch (UncheckedIOException e) {
            err().println("Error: " + e.getMessage());
            return API_ERROR;
        } finally {
            spec.commandLine().getOut().flush();
            err().flush();
        }
    }

    protected Settings settings() { return settings; }

    protected PrintWriter err() { return spec.commandLine().getErr(); }

    /** The stderr line that goes with every secret printed on stdout. */
    protected void secretShownOnce(String what) {
        err().println("This " + what + " is shown only this once and cannot be shown again: store it now.");
        err().flush();
    }
}
