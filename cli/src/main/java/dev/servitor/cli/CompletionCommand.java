// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code servitor completion bash|zsh}: prints a completion script for the whole command tree, e.g.
 * {@code source <(servitor completion bash)}. picocli's script serves zsh through bashcompinit.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, description = "Print a shell completion script.")
public final class CompletionCommand implements Callable<Integer> {
    public enum Shell { bash, zsh }

    @Spec CommandSpec spec;
    @Mixin GlobalOptions global; // accepted anywhere like on every verb; a script has one format
    @Parameters(paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}") Shell shell;

    @Override
    public Integer call() {
        var root = spec.root();
        String script = AutoComplete.bash(root.name(), root.commandLine());
        var out = spec.commandLine().getOut();
        if (shell == Shell.zsh) out.println("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit");
        out.print(script);
        out.flush();
        return 0;
    }
}
