// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.webhook;

import dev.servitor.sdk.ServitorClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The paths under {@code /v1/webhooks}, and reading every page of a list there. */
final class WebhookPaths {
    static final String BASE = "/v1/webhooks";

    private WebhookPaths() {}

    static String endpoint(String id) {
        return BASE + "/" + ServitorClient.seg(id);
    }

    /** Every page of {@code GET path}, following {@code next_page_token}; the items are under {@code field}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> all(ServitorClient client, String path, String field) {
        List<Map<String, Object>> items = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("page_size", "100");
            if (token != null) q.put("page_token", token);
            Map<String, Object> page = client.send("GET", path + ServitorClient.query(q), null).object();
            if (page.get(field) instanceof List<?> l) for (Object o : l) if (o instanceof Map<?, ?> m) items.add((Map<String, Object>) m);
            Object next = page.get("next_page_token");
            token = next == null ? null : next.toString();
        } while (token != null);
        return items;
    }
}
