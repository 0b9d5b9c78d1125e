// SPDX-License-Identifier: Apache-2.0
package dev.servitor.token;

import java.util.List;
import java.util.Set;

/**
 * Who issues Servitor's access tokens, and which audiences its own API takes them for. The
 * issuer comes from configuration only, never from a request: {@code SERVITOR_PUBLIC_URL}, else
 * {@code http(s)://<host>:<port>} of the first listener (the configured host and the bound port).
 * A token whose {@code aud} names neither the issuer nor one of the accepted audiences
 * ({@code SERVITOR_ACCEPTED_AUDIENCES}) is for some other API and is refused by this one.
 */
public final class Issuer {
    private final String publicUrl;
    private final Set<String> acceptedAudiences;
    private volatile String listener;
    private boolean bound;

    /** {@code publicUrl} may be null; {@code host} and {@code port} are the configured bind, used until a listener reports its own. */
    public Issuer(String publicUrl, String host, int port, List<String> acceptedAudiences) {
        this.publicUrl = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
        this.acceptedAudiences = Set.copyOf(acceptedAudiences);
        this.listener = url("http", host, port);
    }

    /**
     * Called by the HTTP listener once it is bound (its port may have been 0 in the configuration).
     * The first listener of the node names the issuer; later ones (tests run several) leave it.
     */
    public void listeningOn(String host, int port) {
        listeningOn(false, host, port);
    }

    /** As {@link #listeningOn(String, int)}, {@code https} when the listener serves TLS. */
    public synchronized void listeningOn(boolean https, String host, int port) {
        if (bound) return;
        bound = true;
        listener = url(https ? "https" : "http", host, port);
    }

    /** The {@code iss} of every token and the base of the discovery document. */
    public String url() {
        return publicUrl != null ? publicUrl : listener;
    }

    /** True if a token for {@code audience} is meant for Servitor's own API. */
    public boolean accepts(List<String> audience) {
        if (audience == null) return false;
        String own = url();
        for (String a : audience) if (a.equals(own) || acceptedAudiences.contains(a)) return true;
        return false;
    }

    private static String url(String scheme, String host, int port) {
        return scheme + "://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
