// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates made by the real {@code openssl}, as an operator would make them. */
public final class TestCertificates {
    private TestCertificates() {}

    /** A P-256 key ({@code BEGIN PRIVATE KEY}) and a certificate for {@code CN=<name>} in {@code dir}: {@code name.crt}, {@code name.key}. */
    public static void make(Path dir, String name) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", name + ".key", "-out", name + ".crt", "-subj", "/CN=" + name, "-days", "2",
            "-addext", "subjectAltName=IP:127.0.0.1");
    }

    /** The same key in the older SEC 1 form ({@code BEGIN EC PRIVATE KEY}). */
    public static void toSec1(Path dir, String name, String out) throws IOException, InterruptedException {
        run(dir, "openssl", "ec", "-in", name + ".key", "-out", out);
    }

    /** Replaces {@code target} the way a renewal tool does: write beside it, then rename over it. */
    public static void install(Path source, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".new");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", command) + ": " + output);
    }
}
