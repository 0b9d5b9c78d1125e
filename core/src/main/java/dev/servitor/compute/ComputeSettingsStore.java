// SPDX-License-Identifier: Apache-2.0
package dev.servitor.compute;

import java.time.Instant;
import java.util.Optional;

/** Rows of {@code compute_settings}, one per service account that ever had a PUT. */
public interface ComputeSettingsStore {
    Optional<ComputeSettings> find(String serviceAccountId);
    void put(String serviceAccountId, String orgId, ComputeSettings settings, Instant now);
    void delete(String serviceAccountId);
}
