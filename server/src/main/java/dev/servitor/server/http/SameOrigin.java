// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Whether a browser request comes from Servitor's own pages, by its {@code Origin}: the origin
 * of the configured public URL, or one naming the very host the request was sent to (the
 * scheme aside, since TLS may end at a proxy in front). A request without {@code Origin} is
 * not a browser's cross-site one: browsers send it with every cross-origin POST.
 */
final class SameOrigin {
    private final String publicOrigin;

    SameOrigin(String publicUrl) {
        this.publicOrigin = publicUrl == null ? null : originOf(publicUrl);
    }

    boolean allows(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) return true;
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.equals(publicOrigin)) return true;
        String host = ctx.host();
        if (host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        return o.equals("https://" + h) || o.equals("http://" + h);
    }

    /** {@code scheme://host[:port]} of an http(s) URL as a browser writes it: lower case, the default port left out. */
    static String originOf(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        int start = u.indexOf("://") + 3;
        int end = u.indexOf('/', start);
        String scheme = u.substring(0, start - 3);
        String authority = end < 0 ? u.substring(start) : u.substring(start, end);
        String defaultPort = scheme.equals("https") ? ":443" : ":80";
        if (authority.endsWith(defaultPort)) authority = authority.substring(0, authority.length() - defaultPort.length());
        return scheme + "://" + authority;
    }
}
