// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import java.util.function.Function;

/**
 * The login config file: {@code url} and {@code token} as Java properties. Its place is the system
 * property {@code servitor.config} (for tests and embedders), else {@code $SERVITOR_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/servitor/config.properties}, else
 * {@code $HOME/.config/servitor/config.properties}. It holds a credential, so it is written mode 0600
 * (and its directory, when created, 0700) before the credential goes in.
 */
public final class CliConfig {
    public static final String PATH_PROPERTY = "servitor.config";
    public static final String PATH_ENV = "SERVITOR_CONFIG";
    static final String URL = "url";
    static final String TOKEN = "token";

    private CliConfig() {}

    public static Path path() {
        String p = System.getProperty(PATH_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        return path(System::getenv, System.getProperty("user.home"));
    }

    /**
     * The place from the environment. Java's {@code user.home} is the account's home directory
     * from the password database, not {@code $HOME}: it is only the last resort.
     */
    static Path path(Function<String, String> env, String userHome) {
        String explicit = env.apply(PATH_ENV);
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = env.apply("XDG_CONFIG_HOME");
        // the XDG base directory spec: a relative value is invalid and ignored
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "servitor", "config.properties");
        String home = env.apply("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome, ".config", "servitor", "config.properties");
    }

    /** The stored settings, or empty properties when there is no file yet. */
    public static Properties load() {
        Properties props = new Properties();
        Path p = path();
        if (!Files.isRegularFile(p)) return props;
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
        return props;
    }

    /** Writes url and token, creating the file 0600 first so the token is never readable by others. */
    public static Path save(String url, String token) throws IOException {
        Path p = path().toAbsolutePath();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path dir = p.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            else Files.createDirectories(dir);
        }
        if (posix) {
            if (!Files.exists(p)) Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------")); // before the token is written
        }
        Properties props = new Properties();
        props.setProperty(URL, url);
        props.setProperty(TOKEN, token);
        try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            props.store(w, "servitor login");
        }
        return p;
    }
}
