// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import dev.servitor.access.AccessService;
import dev.servitor.access.AccessStore;
import dev.servitor.apikey.ApiKeyStore;
import dev.servitor.audit.AuditLog;
import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.caller.CredentialKind;
import dev.servitor.common.Emails;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.network.NetworkPolicyService;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.store.Tx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Human users of an organization. Org admins manage them; a user may read itself and change
 * its own e-mail and password, proving it knows its current password. Service accounts are a
 * different table and never appear here. No user changes under impersonation: an
 * impersonation token acts as a service account and must not reach the humans.
 */
public final class UserService {
    private final Store store;
    private final AuditLog audit;
    private final Authorizer authz;
    private final CacheInvalidation cache;
    private final Clock clock;
    private final UserEmails emails;

    public UserService(Store store, AuditLog audit, Authorizer authz, CacheInvalidation cache, Clock clock, UserEmails emails) {
        this.store = store;
        this.audit = audit;
        this.authz = authz;
        this.cache = cache;
        this.clock = clock;
        this.emails = emails;
    }

    public record NewUser(String username, String email, String password, String role, Boolean orgAdmin, String networkPolicy) {
        public NewUser(String username, String email, String password, String role, Boolean orgAdmin) {
            this(username, email, password, role, orgAdmin, null);
        }

        @Override
        public String toString() {
            return "NewUser[" + username + "]"; // never print the password
        }
    }

    /** {@code currentPassword}: what a user changing its own password or e-mail proves itself with. */
    public record Patch(String email, String password, String currentPassword, String role, Boolean orgAdmin, Boolean disabled,
                        java.util.Optional<String> networkPolicy) {
        public Patch(String email, String password, String role, Boolean orgAdmin, Boolean disabled,
                     java.util.Optional<String> networkPolicy) {
            this(email, password, null, role, orgAdmin, disabled, networkPolicy);
        }

        @Override
        public String toString() {
            return "Patch[...]";
        }
    }

    /** The network policy attached to a user of the caller's organization, or null. */
    public String networkPolicyOf(User user) {
        return store.read(tx -> tx.table(UserStore.class).networkPolicy(user.id()).orElse(null));
    }

    public User create(Caller caller, NewUser req) {
        String target = "user:" + safe(req.username());
        authz.requireOrgAdmin(caller, "user.create", target);
        authz.requireNotImpersonating(caller, "user.create", target);
        String username = Names.require("username", req.username());
        String email = Emails.require("email", req.email());
        String passwordHash = req.password() == null ? null : Passwords.hash(Passwords.requireAcceptable("password", req.password()));
        User created = store.write(tx -> {
            tx.table(OrgStore.class).lock(caller.orgId()); // e-mails stay unique under concurrent writes
            if (tx.table(UserStore.class).findByUsername(caller.orgId(), username).isPresent()) {
                throw ServiceException.field(ErrorCode.USER_EXISTS, "username", "A user named '" + username + "' already exists");
            }
            emails.requireAvailable(tx, caller.orgId(), null, false, "email", email);
            String role = AccessService.requireRole(tx, caller.orgId(), "role", req.role() == null ? "user" : req.role());
            Instant now = clock.instant();
            User u = User.builder().id(Ids.newId("usr")).orgId(caller.orgId()).username(username).email(email).role(role)
                .orgAdmin(Boolean.TRUE.equals(req.orgAdmin())).createdAt(now).updatedAt(now).build();
            tx.table(UserStore.class).insert(u);
            if (passwordHash != null) tx.table(UserStore.class).setPasswordHash(u.id(), passwordHash);
            if (req.networkPolicy() != null) {
                tx.table(UserStore.class).setNetworkPolicy(u.id(), NetworkPolicyService.requireExisting(tx, caller.orgId(), req.networkPolicy()));
            }
            audit.append(tx, caller.orgId(), caller, "user.create", "user:" + username,
                Map.of("id", u.id(), "role", role, "is_org_admin", Boolean.toString(u.orgAdmin())));
            if (req.networkPolicy() != null) cache.networkPoliciesChanged(tx, u.orgId());
            return u;
        });
        return created;
    }

    public Page<User> list(Caller caller, PageRequest page) {
        authz.requireOrgAdmin(caller, "user.list", "user:*");
        return Page.of(store.read(tx -> tx.table(UserStore.class).list(caller.orgId(), page)), page, User::username);
    }

    public User get(Caller caller, String username) {
        authz.requireSelfOrOrgAdmin(caller, username, "user.get", "user:" + username);
        return store.read(tx -> find(tx, caller, username));
    }

    public User update(Caller caller, String username, Patch p) {
        boolean privileged = p.role() != null || p.orgAdmin() != null || p.disabled() != null || p.networkPolicy() != null;
        authz.requireUserUpdate(caller, username, privileged);
        boolean self = authz.isSelf(caller, username);
        if (self) requireCurrentPassword(caller, username, p);
        String email = p.email() == null ? null : Emails.require("email", p.email());
        String passwordHash = p.password() == null ? null : Passwords.hash(Passwords.requireAcceptable("password", p.password()));
        record Result(User user, List<String> sessions) {}
        Result r = store.write(tx -> {
            User u = find(tx, caller, username);
            if (!tx.table(UserStore.class).lock(u.id())) throw notFound(username); // a concurrent delete came first
            // the owner's row before the organization's, as every other path takes them
            if (email != null) tx.table(OrgStore.class).lock(caller.orgId()); // e-mails stay unique under concurrent writes
            if (email != null) emails.requireAvailable(tx, u.orgId(), u.id(), u.operator(), "email", email);
            if (p.role() != null) AccessService.requireRole(tx, caller.orgId(), "role", p.role());
            if (self && (Boolean.FALSE.equals(p.orgAdmin()) || Boolean.TRUE.equals(p.disabled()))) {
                throw new ServiceException(ErrorCode.INVALID_VALUE, "You cannot remove your own admin rights or disable yourself");
            }
            User next = u.toBuilder().email(email != null ? email : u.email()).role(p.role() != null ? p.role() : u.role())
                .orgAdmin(p.orgAdmin() != null ? p.orgAdmin() : u.orgAdmin())
                .disabled(p.disabled() != null ? p.disabled() : u.disabled()).updatedAt(clock.instant()).build();
            tx.table(UserStore.class).update(next);
            if (passwordHash != null) tx.table(UserStore.class).setPasswordHash(u.id(), passwordHash);
            if (p.networkPolicy() != null) {
                String policy = p.networkPolicy().orElse(null);
                tx.table(UserStore.class).setNetworkPolicy(u.id(),
                    policy == null ? null : NetworkPolicyService.requireExisting(tx, caller.orgId(), policy));
            }
            // a disable ends every console session at once; a new password every one but the session that set it
            Instant now = clock.instant();
            String keep = self ? sessionOf(caller) : null;
            List<String> sessions = next.disabled() ? tx.table(SessionStore.class).revokeAllOf(u.id(), now)
                : passwordHash == null ? List.of()
                : keep == null ? tx.table(SessionStore.class).revokeAllOf(u.id(), now)
                : tx.table(SessionStore.class).revokeOthersOf(u.id(), keep, now);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("id", u.id());
            if (email != null) details.put("email", email);
            if (passwordHash != null) details.put("password", "changed");
            if (p.role() != null) details.put("role", p.role());
            if (p.orgAdmin() != null) details.put("is_org_admin", p.orgAdmin().toString());
            if (p.disabled() != null) details.put("disabled", p.disabled().toString());
            if (p.networkPolicy() != null) details.put("network_policy", p.networkPolicy().orElse("(none)"));
            audit.append(tx, caller.orgId(), caller, "user.update", "user:" + username, details);
            cache.principalChanged(tx, u.id());
            cache.keysChanged(tx, sessions);
            if (p.networkPolicy() != null) cache.networkPoliciesChanged(tx, u.orgId());
            return new Result(next, sessions);
        });
        return r.user();
    }

    public void delete(Caller caller, String username) {
        authz.requireOrgAdmin(caller, "user.delete", "user:" + username);
        authz.requireNotImpersonating(caller, "user.delete", "user:" + username);
        if (authz.isSelf(caller, username)) throw new ServiceException(ErrorCode.INVALID_VALUE, "You cannot delete yourself");
        record Result(String id, List<String> hashes) {}
        Result r = store.write(tx -> {
            User u = find(tx, caller, username);
            // the row lock first: of racing deletes one wins, and a key creation that held it first is revoked below
            if (!tx.table(UserStore.class).lock(u.id())) throw notFound(username);
            List<String> hashes = new ArrayList<>(tx.table(ApiKeyStore.class).revokeAllOf(u.id(), clock.instant()));
            hashes.addAll(tx.table(SessionStore.class).revokeAllOf(u.id(), clock.instant()));
            tx.table(AccessStore.class).removeMember(u.id());
            if (!tx.table(UserStore.class).delete(u.id())) throw notFound(username);
            audit.append(tx, caller.orgId(), caller, "user.delete", "user:" + username, Map.of("id", u.id()));
            cache.keysChanged(tx, hashes);
            cache.principalChanged(tx, u.id());
            return new Result(u.id(), hashes);
        });
    }

    /** The id of the console session the caller came with, or null. */
    private static String sessionOf(Caller caller) {
        return caller.credential() != null && caller.credential().kind() == CredentialKind.SESSION ? caller.credential().id() : null;
    }

    private static User find(Tx tx, Caller caller, String username) {
        return tx.table(UserStore.class).findByUsername(caller.orgId(), username).orElseThrow(() -> notFound(username));
    }

    private static ServiceException notFound(String username) {
        return new ServiceException(ErrorCode.USER_NOT_FOUND, "No user named '" + username + "'");
    }

    /**
     * A user changing its own password, or its e-mail to another address, proves it knows its
     * current password: a stolen API key or an unattended console must not be enough to take
     * the account over. A user without a password yet (the bootstrap admin at first start,
     * users who only use keys) has none to prove and sets its first one with its credential.
     * Refused before any other check of the body, as a permission is (403, audited).
     */
    private void requireCurrentPassword(Caller caller, String username, Patch p) {
        record Current(User user, String hash) {}
        Current current = store.read(tx -> {
            User u = find(tx, caller, username);
            return new Current(u, tx.table(UserStore.class).passwordHash(u.id()).orElse(null));
        });
        boolean emailChanges = p.email() != null && !p.email().equals(current.user().email());
        if (current.hash() == null || (p.password() == null && !emailChanges)) return;
        String detail = p.currentPassword() == null
            ? "Changing your own password or e-mail needs your current password in 'current_password'"
            : "'current_password' is not your current password";
        if (p.currentPassword() == null || !Passwords.matches(p.currentPassword(), current.hash())) {
            audit.denied(caller, "user.update", "user:" + username);
            throw ServiceException.field(ErrorCode.INVALID_CURRENT_PASSWORD, "current_password", detail);
        }
    }

    private static String safe(String name) {
        return Names.isValid(name) ? name : "(invalid name)";
    }

}
