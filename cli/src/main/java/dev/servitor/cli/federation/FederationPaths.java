// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.federation;

import dev.servitor.sdk.ServitorClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The paths of workload identity federation, and reading every page of a list there. */
public final class FederationPaths {
    public static final String ISSUERS = "/v1/federation/issuers";

    private FederationPaths() {}

    public static String issuer(String name) {
        return ISSUERS + "/" + ServitorClient.seg(name);
    }

    public static String credentials(String serviceAccount) {
        return "/v1/service-accounts/" + ServitorClient.seg(serviceAccount) + "/federated-credentials";
    }

    public static String credential(String serviceAccount, String name) {
        return credentials(serviceAccount) + "/" + ServitorClient.seg(name);
    }

    /**
     * Every item of {@code GET path}, following {@code next_page_token}; the items are under
     * {@code field} (or the answer is the array itself).
     */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> all(ServitorClient client, String path, String field) {
        List<Map<String, Object>> items = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("page_size", "100");
            if (token != null) q.put("page_token", token);
            var answer = client.send("GET", path + ServitorClient.query(q), null);
            Object list;
            Object next = null;
            if (answer.json() instanceof List<?>) {
                list = answer.array();
            } else {
                Map<String, Object> page = answer.object();
                list = page.get(field);
                next = page.get("next_page_token");
            }
            if (list instanceof List<?> l) for (Object o : l) if (o instanceof Map<?, ?> m) items.add((Map<String, Object>) m);
            token = next == null ? null : next.toString();
        } while (token != null);
        return items;
    }
}
