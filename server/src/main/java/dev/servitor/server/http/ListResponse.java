// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.common.Page;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The body of every list: {@code {"<key>": [...], "next_page_token"?}}, the token absent on the last page. */
final class ListResponse {
    private ListResponse() {}

    static <T> Map<String, Object> of(String key, Page<T> page, Function<T, ?> render) {
        List<?> items = page.items().stream().map(render).toList();
        return page.nextPageToken() == null ? Map.of(key, items) : Map.of(key, items, "next_page_token", page.nextPageToken());
    }
}
