// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A noun grouping verbs ({@code sa}, {@code key}, …): carries the global options; alone, it is a usage error (exit 2). */
public abstract class CommandGroup implements Runnable {
    @Spec
    protected CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
    }
}
