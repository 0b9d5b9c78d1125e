// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code servitor webhook}: endpoints that receive the organization's lifecycle events. */
@Command(name = "webhook", aliases = "webhooks", mixinStandardHelpOptions = true, description = "Manage webhook endpoints.",
    subcommands = {WebhookCreateCommand.class, WebhookListCommand.class, WebhookGetCommand.class, WebhookUpdateCommand.class,
        WebhookDeleteCommand.class, WebhookRotateSecretCommand.class, WebhookTestCommand.class, WebhookDeliveriesCommand.class,
        WebhookRetryCommand.class})
public final class WebhookCommand extends CommandGroup {}
