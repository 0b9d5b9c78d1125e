// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli.access;

import dev.servitor.cli.Printer;
import dev.servitor.sdk.ServitorClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code list}: every page of {@code GET /v1/<resource>}, following {@code next_page_token}. */
abstract class ResourceListCommand extends ResourceCommand {
    ResourceListCommand(Resource r) { super(r); }

    @Override
    @SuppressWarnings("unchecked")
    protected int execute(ServitorClient client, Printer out) {
        List<Map<String, Object>> items = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            if (token != null) q.put("page_token", token);
            var answer = client.send("GET", resource().path + ServitorClient.query(q), null);
            Object list = answer.json() instanceof List<?> ? answer.json() : answer.object().get(resource().listField);
            if (list instanceof List<?> l) for (Object o : l) if (o instanceof Map<?, ?> m) items.add((Map<String, Object>) m);
            Object next = answer.object().get("next_page_token");
            token = next == null ? null : next.toString();
        } while (token != null);
        showAll(out, items);
        return OK;
    }
}
