// SPDX-License-Identifier: Apache-2.0
package dev.servitor.user;

import dev.servitor.access.AccessService;
import dev.servitor.audit.AuditLog;
import dev.servitor.auth.CacheInvalidation;
import dev.servitor.auth.Caller;
import dev.servitor.auth.PrincipalType;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.Names;
import dev.servitor.common.Page;
import dev.servitor.common.PageRequest;
import dev.servitor.common.ServiceException;
import dev.servitor.network.NetworkPolicyService;
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
 * its own e-mail and password. Service accounts are a different table and never appear here.
 */
public final class UserService {
    private final Store store;
    private final AuditLog audit;
    private final CacheInvalidation cache;
    private final Clock clock;

    public UserService(Store store, AuditLog audit, CacheInvalidation cache, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.cache = cache;
        this.clock = clock;
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

    public record Patch(String email, String password, String role, Boolean orgAdmin, Boolean disabled,
                        java.util.Optional<String> networkPolicy) {
        public Patch(String email, String password, String role, Boolean orgAdmin, Boolean disabled) {
            this(email, password, role, orgAdmin, disabled, null);
        }

        @Override
        public String toString() {
            return "Patch[...]";
        }
    }

    /** The network policy attached to a user of the caller's organization, or null. */
    public String networkPolicyOf(User user) {
        return store.read(tx -> tx.users().networkPolicy(user.id()).orElse(null));
    }

    public User create(Caller caller, NewUser req) {
        audit.requireOrgAdmin(caller, "user.create", "user:" + safe(req.username()));
        String username = Names.require("username", req.username());
        String email = email(req.email());
        String passwordHash = req.password() == null ? null : Passwords.hash(Passwords.requireAcceptable("password", req.password()));
        User created = store.write(tx -> {
            if (tx.users().findByUsername(caller.orgId(), username).isPresent()) {
                throw ServiceException.field(ErrorCode.USER_EXISTS, "username", "A user named '" + username + "' already exists");
            }
            String role = AccessService.requireRole(tx, caller.orgId(), "role", req.role() == null ? "user" : req.role());
            Instant now = clock.instant();
            User u = new User(Ids.newId("usr"), caller.orgId(), username, email, role, Boolean.TRUE.equals(req.orgAdmin()),
                false, false, now, now);
            tx.users().insert(u);
            if (passwordHash != null) tx.users().setPasswordHash(u.id(), passwordHash);
            if (req.networkPolicy() != null) {
                tx.users().setNetworkPolicy(u.id(), NetworkPolicyService.requireExisting(tx, caller.orgId(), req.networkPolicy()));
            }
            audit.append(tx, caller.orgId(), caller, "user.create", "user:" + username,
                Map.of("id", u.id(), "role", role, "is_org_admin", Boolean.toString(u.orgAdmin())));
            return u;
        });
        if (req.networkPolicy() != null) cache.networkPoliciesChanged(created.orgId());
        return created;
    }

    public Page<User> list(Caller caller, PageRequest page) {
        audit.requireOrgAdmin(caller, "user.list", "user:*");
        return Page.of(store.read(tx -> tx.users().list(caller.orgId(), page)), page, User::username);
    }

    public User get(Caller caller, String username) {
        if (!isSelf(caller, username)) audit.requireOrgAdmin(caller, "user.get", "user:" + username);
        return store.read(tx -> find(tx, caller, username));
    }

    public User update(Caller caller, String username, Patch p) {
        boolean self = isSelf(caller, username);
        boolean privileged = p.role() != null || p.orgAdmin() != null || p.disabled() != null || p.networkPolicy() != null;
        if (!self || privileged) audit.requireOrgAdmin(caller, "user.update", "user:" + username);
        String email = p.email() == null ? null : email(p.email());
        String passwordHash = p.password() == null ? null : Passwords.hash(Passwords.requireAcceptable("password", p.password()));
        record Result(User user, List<String> sessions) {}
        Result r = store.write(tx -> {
            User u = find(tx, caller, username);
            if (p.role() != null) AccessService.requireRole(tx, caller.orgId(), "role", p.role());
            if (self && (Boolean.FALSE.equals(p.orgAdmin()) || Boolean.TRUE.equals(p.disabled()))) {
                throw new ServiceException(ErrorCode.INVALID_VALUE, "You cannot remove your own admin rights or disable yourself");
            }
            User next = new User(u.id(), u.orgId(), u.username(), email != null ? email : u.email(), p.role() != null ? p.role() : u.role(),
                p.orgAdmin() != null ? p.orgAdmin() : u.orgAdmin(), u.operator(), p.disabled() != null ? p.disabled() : u.disabled(),
                u.createdAt(), clock.instant());
            tx.users().update(next);
            if (passwordHash != null) tx.users().setPasswordHash(u.id(), passwordHash);
            if (p.networkPolicy() != null) {
                String policy = p.networkPolicy().orElse(null);
                tx.users().setNetworkPolicy(u.id(), policy == null ? null : NetworkPolicyService.requireExisting(tx, caller.orgId(), policy));
            }
            // a new password or a disable ends every console session at once
            List<String> sessions = passwordHash != null || next.disabled() ? tx.sessions().revokeAllOf(u.id(), clock.instant()) : List.of();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("id", u.id());
            if (email != null) details.put("email", email);
            if (passwordHash != null) details.put("password", "changed");
            if (p.role() != null) details.put("role", p.role());
            if (p.orgAdmin() != null) details.put("is_org_admin", p.orgAdmin().toString());
            if (p.disabled() != null) details.put("disabled", p.disabled().toString());
            if (p.networkPolicy() != null) details.put("network_policy", p.networkPolicy().orElse("(none)"));
            audit.append(tx, caller.orgId(), caller, "user.update", "user:" + username, details);
            return new Result(next, sessions);
        });
        cache.principalChanged(r.user().id());
        cache.keysChanged(r.sessions());
        if (p.networkPolicy() != null) cache.networkPoliciesChanged(r.user().orgId());
        return r.user();
    }

    public void delete(Caller caller, String username) {
        audit.requireOrgAdmin(caller, "user.delete", "user:" + username);
        if (isSelf(caller, username)) throw new ServiceException(ErrorCode.INVALID_VALUE, "You cannot delete yourself");
        record Result(String id, List<String> hashes) {}
        Result r = store.write(tx -> {
            User u = find(tx, caller, username);
            List<String> hashes = new ArrayList<>(tx.keys().revokeAllOf(u.id(), clock.instant()));
            hashes.addAll(tx.sessions().revokeAllOf(u.id(), clock.instant()));
            tx.access().removeMember(u.id());
            tx.users().delete(u.id());
            audit.append(tx, caller.orgId(), caller, "user.delete", "user:" + username, Map.of("id", u.id()));
            return new Result(u.id(), hashes);
        });
        cache.keysChanged(r.hashes());
        cache.principalChanged(r.id());
    }

    private static boolean isSelf(Caller caller, String username) {
        return caller.principal().type() == PrincipalType.USER && caller.principal().name().equals(username) && caller.actor() == null;
    }

    private static User find(Tx tx, Caller caller, String username) {
        return tx.users().findByUsername(caller.orgId(), username)
            .orElseThrow(() -> new ServiceException(ErrorCode.USER_NOT_FOUND, "No user named '" + username + "'"));
    }

    private static String email(String email) {
        if (email == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "email", "'email' is required");
        if (!email.matches("[^@\\s]{1,128}@[^@\\s]{1,255}")) {
            throw ServiceException.field(ErrorCode.INVALID_VALUE, "email", "'email' must be an e-mail address");
        }
        return email;
    }

    private static String safe(String name) {
        return Names.isValid(name) ? name : "(invalid name)";
    }

}
