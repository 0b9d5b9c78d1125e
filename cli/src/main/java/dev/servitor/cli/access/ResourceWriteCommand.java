// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/**
 * {@code create NAME …} ({@code POST /v1/<resource>}) and {@code update NAME …} ({@code PATCH /v1/<resource>/NAME}):
 * the body holds only the options given; each resource says which options exist in {@link #fields}.
 */
abstract class ResourceWriteCommand extends ResourceCommand {
    @Parameters(paramLabel = "NAME") String name;
    private final boolean create;
    private final String nameField;

    ResourceWriteCommand(Resource r, boolean create, String nameField) {
        super(r);
        this.create = create;
        this.nameField = nameField;
    }

    /** Adds the options given to the body. */
    abstract void fields(Map<String, Object> body);

    @Override
    protected int execute(ServitorClient client, Printer out) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (create) body.put(nameField, name);
        fields(body);
        body.values().removeIf(v -> v == null);
        if (!create && body.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Nothing to update: give at least one option");
        }
        var answer = create ? client.send("POST", resource().path, body) : client.send("PATCH", itemPath(name), body);
        show(out, answer.object());
        return OK;
    }
}
