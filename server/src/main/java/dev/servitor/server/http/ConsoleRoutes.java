// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.ErrorCode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console: static files from {@code console/} on the classpath, served at
 * {@code /console/} outside the {@code /v1} credential gate (the pages call the API with the
 * session cookie). Every answer carries a Content-Security-Policy that allows scripts and
 * styles from this origin only, so no inline script can run.
 */
final class ConsoleRoutes {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    /** Lower-case path segments and one known extension: no "..", no hidden files, nothing else on the classpath. */
    private static final Pattern FILE = Pattern.compile("/console/((?:[a-z0-9_-]+/)*[a-z0-9_.-]+\\.(html|js|css|svg|png|txt))");
    private static final Map<String, String> TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml",
        "png", "image/png",
        "txt", "text/plain; charset=utf-8");

    void register(JavalinConfig config) {
        config.routes.get("/console", this::index);
        config.routes.get("/console/<file>", this::file);
    }

    private void index(Context ctx) {
        headers(ctx);
        // the router ignores trailing slashes, so /console and /console/ both land here
        if (!ctx.path().endsWith("/")) {
            ctx.redirect("/console/", io.javalin.http.HttpStatus.FOUND);
            return;
        }
        serve(ctx, "index.html", "html");
    }

    private void file(Context ctx) {
        headers(ctx);
        Matcher m = FILE.matcher(ctx.path());
        if (!m.matches()) {
            Problems.write(ctx, ErrorCode.NOT_FOUND, "No such console file", null);
            return;
        }
        serve(ctx, m.group(1), m.group(2));
    }

    private void serve(Context ctx, String file, String extension) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream("console/" + file)) {
            if (in == null) {
                Problems.write(ctx, ErrorCode.NOT_FOUND, "No such console file", null);
                return;
            }
            ctx.status(200).contentType(TYPES.get(extension)).result(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-cache");
    }
}
