// SPDX-License-Identifier: Apache-2.0
package dev.servitor.sdk;

import java.util.List;

/** One page of a list; {@code nextPageToken} is null on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {
    public boolean hasNext() { return nextPageToken != null; }
}
