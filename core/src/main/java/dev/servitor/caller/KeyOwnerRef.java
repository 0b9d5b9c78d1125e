// SPDX-License-Identifier: Apache-2.0
package dev.servitor.caller;

/** The owner named in a request path: a service account's name or a user's username. */
public record KeyOwnerRef(OwnerKind kind, String name) {
    public static KeyOwnerRef serviceAccount(String name) {
        return new KeyOwnerRef(OwnerKind.SERVICE_ACCOUNT, name);
    }

    public static KeyOwnerRef user(String username) {
        return new KeyOwnerRef(OwnerKind.USER, username);
    }

    /** The audit target of the owner: {@code service_account:ci-bot} or {@code user:alice}. */
    public String auditTarget() {
        return kind.wire() + ":" + name;
    }
}
