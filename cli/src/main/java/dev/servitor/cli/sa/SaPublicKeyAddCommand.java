// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.sa;

import dev.servitor.cli.ApiCommand;
import dev.servitor.cli.Printer;
import dev.servitor.sdk.Json;
import dev.servitor.sdk.ServitorClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code servitor sa public-key add NAME --file key.pem | --jwk key.json}. A file holding a
 * private key is refused here, before anything is sent: the private key never leaves the machine.
 */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = "Add a public key (PEM or JWK; EC P-256 or RSA >= 2048) to a service account; at most 2, for rotation.")
public final class SaPublicKeyAddCommand extends ApiCommand {
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    @Parameters(paramLabel = "NAME", description = "The service account.") String name;
    @ArgGroup(exclusive = true, multiplicity = "1") Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "FILE", description = "A PEM 'PUBLIC KEY' file (openssl pkey -in key.pem -pubout).")
        Path pem;
        @Option(names = "--jwk", paramLabel = "FILE", description = "A file holding the public JWK (a JSON object).") Path jwk;
    }

    @Override
    protected int execute(ServitorClient client, Printer out) throws IOException {
        Path file = source.pem != null ? source.pem : source.jwk;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, Object> body;
        if (source.pem != null) {
            if (text.contains("PRIVATE KEY")) return refuse(file);
            body = Map.of("pem", text);
        } else {
            Object jwk;
            try {
                jwk = Json.parse(text);
            } catch (IllegalArgumentException e) {
                err().println("Error: " + file + " is not JSON");
                return API_ERROR;
            }
            if (!(jwk instanceof Map<?, ?> members)) {
                err().println("Error: " + file + " must hold one JWK, a JSON object");
                return API_ERROR;
            }
            if (members.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) return refuse(file);
            body = Map.of("jwk", jwk);
        }
        out.object(client.send("POST", SaPublicKeyCommand.path(name), body).object(), SaPublicKeyCommand.VIEW);
        return OK;
    }

    private int refuse(Path file) {
        err().println("Error: " + file + " holds a private key; nothing was sent. Give its public half "
            + "(openssl pkey -in KEY -pubout, or the JWK without 'd').");
        return API_ERROR;
    }
}
