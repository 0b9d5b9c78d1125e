// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.audit;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor audit}: read and check the audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and check the audit log.",
    subcommands = {AuditListCommand.class, AuditVerifyCommand.class})
public final class AuditCommand extends CommandGroup {}
