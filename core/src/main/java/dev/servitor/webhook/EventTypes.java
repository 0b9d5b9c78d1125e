// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event types of docs/api.md "Lifecycle events", and which audited actions raise them: a
 * change's event is its audit event, written in the change's transaction ({@link EventOutbox}).
 */
public final class EventTypes {
    public static final String TEST = "webhook.test";
    public static final List<String> ALL = List.of(
        "service_account.created", "service_account.updated", "service_account.disabled", "service_account.enabled",
        "service_account.deleted", "key.created", "key.rotated", "key.revoked", "key.expiring", "key.expired", "key.dormant",
        "key.exposed", "secret.generated", "secret.exposed", TEST);
    private static final Set<String> KNOWN = Set.copyOf(ALL);

    /** Audit action -> event type, for actions whose event type does not depend on the details. */
    private static final Map<String, String> BY_ACTION = Map.ofEntries(
        Map.entry("service_account.create", "service_account.created"),
        Map.entry("service_account.update", "service_account.updated"),
        Map.entry("service_account.disable", "service_account.disabled"),
        Map.entry("service_account.enable", "service_account.enabled"),
        Map.entry("service_account.delete", "service_account.deleted"),
        Map.entry("key.create", "key.created"),
        Map.entry("key.rotate", "key.rotated"),
        Map.entry("key.revoke", "key.revoked"),
        Map.entry("key.expiring", "key.expiring"),
        Map.entry("key.expired", "key.expired"),
        Map.entry("key.dormant", "key.dormant"),
        Map.entry("key.exposed", "key.exposed"),
        Map.entry("secret.generate", "secret.generated"),
        Map.entry("secret.exposed", "secret.exposed"));

    private EventTypes() {}

    public static boolean isKnown(String type) {
        return KNOWN.contains(type);
    }

    /** The audited actions that raise an event. */
    public static java.util.Collection<String> raisingActions() {
        return BY_ACTION.keySet();
    }

    /** The event a successful audited action raises, or null. */
    public static String forAction(String action) {
        return BY_ACTION.get(action);
    }
}
