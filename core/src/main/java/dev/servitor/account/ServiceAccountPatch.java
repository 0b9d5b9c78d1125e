// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

import java.util.List;
import java.util.Optional;

/**
 * A partial update. A null member is "leave as is"; {@code networkPolicy} is an Optional so
 * that "clear it" ({@code Optional.empty()}) differs from "leave it" (null).
 */
public record ServiceAccountPatch(String name, String description, String role, List<String> groups,
                                  Optional<String> networkPolicy, Boolean orgAdmin) {
    public boolean isEmpty() {
        return name == null && description == null && role == null && groups == null
            && networkPolicy == null && orgAdmin == null;
    }
}
