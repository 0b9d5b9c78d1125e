// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

import java.util.List;

/** One page of a list, with the token of the next page or null on the last one. */
public record Page<T>(List<T> items, String nextPageToken) {}
