// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.util.List;
import java.util.function.Function;

/** One page of a list, with the token of the next page or null on the last one. */
public record Page<T>(List<T> items, String nextPageToken) {

    /**
     * The page of {@code rows}, read with one row more than the page holds (LIMIT size + 1):
     * that extra row only says that another page follows, which starts after the sort key
     * ({@code position}) of this page's last item.
     */
    public static <T> Page<T> of(List<T> rows, PageRequest page, Function<T, String> position) {
        if (rows.size() <= page.size()) return new Page<>(List.copyOf(rows), null);
        List<T> items = List.copyOf(rows.subList(0, page.size()));
        return new Page<>(items, PageRequest.encode(position.apply(items.get(items.size() - 1))));
    }
}
