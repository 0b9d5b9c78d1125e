// SPDX-License-Identifier: Apache-2.0
package dev.servitor.store.jdbi;

import dev.servitor.compute.ComputeSettings;
import dev.servitor.compute.ComputeSettingsStore;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiComputeSettingsStore implements ComputeSettingsStore {
    private static final String COMPUTE_SETTINGS_FIND_BY_ACCOUNT = """
        SELECT read_write_size, read_scaling_size, flock_size FROM compute_settings WHERE service_account_id = :id""";
    // delete-then-insert rather than an upsert: the same statements on both engines, in the caller's transaction
    private static final String COMPUTE_SETTINGS_DELETE_BY_ACCOUNT = "DELETE FROM compute_settings WHERE service_account_id = :id";
    private static final String COMPUTE_SETTINGS_INSERT = """
        INSERT INTO compute_settings (service_account_id, org_id, read_write_size, read_scaling_size, flock_size, updated_at)
        VALUES (:id, :orgId, :rw, :rs, :flock, :updatedAt)""";

    private final Handle h;

    JdbiComputeSettingsStore(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<ComputeSettings> find(String serviceAccountId) {
        return h.createQuery(COMPUTE_SETTINGS_FIND_BY_ACCOUNT).bind("id", serviceAccountId)
            .map((rs, ctx) -> new ComputeSettings(rs.getString("read_write_size"), rs.getString("read_scaling_size"),
                rs.getInt("flock_size")))
            .findOne();
    }

    @Override
    public void put(String serviceAccountId, String orgId, ComputeSettings s, Instant now) {
        delete(serviceAccountId);
        h.createUpdate(COMPUTE_SETTINGS_INSERT).bind("id", serviceAccountId).bind("orgId", orgId).bind("rw", s.readWriteSize())
            .bind("rs", s.readScalingSize()).bind("flock", (long) s.flockSize()).bind("updatedAt", Rows.millis(now)).execute();
    }

    @Override
    public void delete(String serviceAccountId) {
        h.createUpdate(COMPUTE_SETTINGS_DELETE_BY_ACCOUNT).bind("id", serviceAccountId).execute();
    }
}
