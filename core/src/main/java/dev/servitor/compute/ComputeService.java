// SPDX-License-Identifier: Apache-2.0
package dev.servitor.compute;

import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Names;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.directory.ServiceAccount;
import dev.servitor.directory.ServiceAccountStore;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of compute settings: only org admins read or change them, sizes come from the
 * configured list, the flock size is 1-16, and a change is one transaction with its audit
 * event ({@code compute.update}). Deleting the service account deletes its settings.
 */
public final class ComputeService {
    public static final int MIN_FLOCK = 1;
    public static final int MAX_FLOCK = 16;
    static final String DEFAULT_SIZE = "standard";

    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final Clock clock;
    private final List<String> sizes;
    private final ComputeSettings defaults;

    public ComputeService(Store store, AuditLog audit, Authorizer authz, Clock clock, List<String> sizes) {
        if (sizes.isEmpty()) throw new IllegalArgumentException("at least one instance size is needed");
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.clock = clock;
        this.sizes = List.copyOf(sizes);
        String size = sizes.contains(DEFAULT_SIZE) ? DEFAULT_SIZE : sizes.get(0);
        this.defaults = new ComputeSettings(size, size, MIN_FLOCK);
    }

    /** The account's settings, or the defaults before any PUT. */
    public ComputeSettings get(Caller caller, String serviceAccount) {
        authz.requireOrgAdmin(caller, "compute.get", target(serviceAccount));
        return store.read(tx -> tx.table(ComputeSettingsStore.class).find(find(tx, caller, serviceAccount).id()).orElse(defaults));
    }

    /** Replaces the account's settings whole. */
    public ComputeSettings put(Caller caller, String serviceAccount, ComputeSettings s) {
        authz.requireOrgAdmin(caller, "compute.update", target(serviceAccount));
        requireSize("config.read_write.instance_size", s.readWriteSize());
        requireSize("config.read_scaling.instance_size", s.readScalingSize());
        if (s.flockSize() < MIN_FLOCK || s.flockSize() > MAX_FLOCK) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "config.read_scaling.flock_size",
                "'config.read_scaling.flock_size' must be between " + MIN_FLOCK + " and " + MAX_FLOCK);
        }
        return store.write(tx -> {
            ServiceAccount sa = find(tx, caller, serviceAccount);
            tx.table(ServiceAccountStore.class).lock(sa.id()); // concurrent PUTs of one account run one after another
            tx.table(ComputeSettingsStore.class).put(sa.id(), sa.orgId(), s, clock.instant());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("id", sa.id());
            details.put("read_write.instance_size", s.readWriteSize());
            details.put("read_scaling.instance_size", s.readScalingSize());
            details.put("read_scaling.flock_size", Integer.toString(s.flockSize()));
            audit.append(tx, caller.orgId(), caller, "compute.update", target(serviceAccount), details);
            return s;
        });
    }

    public List<String> sizes() {
        return sizes;
    }

    private void requireSize(String field, String size) {
        if (size == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, field, "'" + field + "' is required");
        if (!sizes.contains(size)) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, field, "'" + field + "' must be one of " + String.join(", ", sizes));
        }
    }

    private ServiceAccount find(Tx tx, Caller caller, String name) {
        return tx.table(ServiceAccountStore.class).findByName(caller.orgId(), name, clock.instant())
            .orElseThrow(() -> new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "No service account named '"
                + (Names.isValid(name) ? name : "(invalid name)") + "'"));
    }


    private static String target(String name) {
        return "service_account:" + (Names.isValid(name) && !SecretFormat.isWellFormed(name) ? name : "(invalid name)");
    }
}
