// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

import dev.servitor.sdk.ServitorClient;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where to connect, as whom, and how to print, resolved for one command: the global options nearest the
 * verb first, then {@code $SERVITOR_URL} / {@code $SERVITOR_TOKEN}, then the login config, then the default URL.
 */
public record Settings(String url, String token, OutputFormat output) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";

    public static Settings resolve(CommandSpec spec) {
        String url = null;
        String token = null;
        OutputFormat output = null;
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            GlobalOptions g = globals(s);
            if (g == null) continue;
            if (url == null) url = g.url;
            if (token == null) token = g.token;
            if (output == null) output = g.output;
        }
        if (url == null) url = blankToNull(System.getenv("SERVITOR_URL"));
        if (token == null) token = blankToNull(System.getenv("SERVITOR_TOKEN"));
        if (url == null || token == null) {
            Properties saved = CliConfig.load();
            if (url == null) url = blankToNull(saved.getProperty(CliConfig.URL));
            if (token == null) token = blankToNull(saved.getProperty(CliConfig.TOKEN));
        }
        return new Settings(url == null ? DEFAULT_URL : url, token, output == null ? OutputFormat.table : output);
    }

    static GlobalOptions globals(CommandSpec s) {
        if (s.userObject() instanceof GlobalOptions g) return g;
        for (CommandSpec m : s.mixins().values()) {
            if (m.userObject() instanceof GlobalOptions g) return g;
        }
        return null;
    }

    public ServitorClient client() {
        return ServitorClient.builder().url(url).token(token).build();
    }

    @Override
    public String toString() {
        return "Settings[url=" + url + ", output=" + output + "]"; // never the token
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
