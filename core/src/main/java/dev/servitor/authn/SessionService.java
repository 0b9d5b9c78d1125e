// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.audit.AuditLog;
import dev.servitor.caller.Caller;
import dev.servitor.caller.CredentialInfo;
import dev.servitor.caller.CredentialKind;
import dev.servitor.caller.Principal;
import dev.servitor.caller.PrincipalType;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.Ids;
import dev.servitor.common.ServiceException;
import dev.servitor.crypto.SecretFormat;
import dev.servitor.crypto.SecretHash;
import dev.servitor.directory.OrgStore;
import dev.servitor.directory.Organization;
import dev.servitor.directory.User;
import dev.servitor.directory.UserStore;
import dev.servitor.store.CacheInvalidation;
import dev.servitor.store.Store;
import dev.servitor.user.Passwords;
import dev.servitor.user.Session;
import dev.servitor.user.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Console log-in of human users. A service account can never log in: it is not a user. Any
 * failure (unknown user, wrong password, no password set, disabled) is the same 401. Two
 * answers come before the password is checked, so that neither can test a password: 400
 * {@code org_required} when the username exists in several organizations and none was named,
 * and 403 {@code ip_not_allowed} when the user's or its organization's network policy refuses
 * the client address (audited as a denied log-in).
 */
public final class SessionService {
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final String PREFIX = "svc";
    private final Store store;
    private final AuditLog audit;
    private final CacheInvalidation cache;
    private final CredentialVerifier verifier;
    private final Clock clock;

    public SessionService(Store store, AuditLog audit, CacheInvalidation cache, CredentialVerifier verifier, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.cache = cache;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** A new session and its cookie value, which exists only here and in the user's browser. */
    public record Started(Session session, String token) {
        @Override
        public String toString() {
            return "Started[" + session.id() + "]";
        }
    }

    /** {@code org} may be null when the username exists in one organization only. */
    public Started login(String username, String password, String org, String ip) {
        List<User> candidates = store.read(tx -> {
            List<User> all = tx.table(UserStore.class).findAllByUsername(username == null ? "" : username);
            if (org == null) return all;
            Optional<String> orgId = tx.table(OrgStore.class).findByName(org).map(Organization::id);
            return all.stream().filter(u -> orgId.isPresent() && u.orgId().equals(orgId.get())).toList();
        });
        if (candidates.size() > 1) {
            throw ServiceException.field(ErrorCode.ORG_REQUIRED, "org",
                "This user name exists in several organizations: name yours in 'org'");
        }
        Optional<User> user = candidates.stream().findFirst();
        if (user.isPresent()) refuseBlockedAddress(user.get(), ip);
        String hash = user.flatMap(u -> store.read(tx -> tx.table(UserStore.class).passwordHash(u.id()))).orElse(null);
        boolean ok = Passwords.matches(password, hash); // runs a full Argon2 check even for unknown users
        if (!ok || user.isEmpty() || user.get().disabled()) {
            throw new ServiceException(ErrorCode.UNAUTHENTICATED, "Wrong username or password");
        }
        User u = user.get();
        String token = SecretFormat.generate(PREFIX);
        Instant now = clock.instant();
        Session s = new Session(Ids.newId("ses"), u.orgId(), u.id(), now, now.plus(LIFETIME), null);
        store.write(tx -> {
            tx.table(SessionStore.class).insert(s, SecretHash.sha256Hex(token));
            Caller who = callerOf(u, new CredentialInfo(s.id(), CredentialKind.SESSION, null, s.expiresAt()), ip);
            audit.append(tx, u.orgId(), who, "session.login", "user:" + u.username(), Map.of("session_id", s.id()));
            return null;
        });
        return new Started(s, token);
    }

    /** 403 when the network policies of the user and of its organization refuse {@code ip}, before any password is checked. */
    private void refuseBlockedAddress(User u, String ip) {
        Optional<Principal> principal = verifier.principal(u.id());
        if (principal.isEmpty() || verifier.addressAllowed(principal.get(), ip)) return;
        audit.denied(callerOf(u, null, ip), "session.login", "user:" + u.username());
        throw new ServiceException(ErrorCode.IP_NOT_ALLOWED, "A network policy does not allow your client address");
    }

    private static Caller callerOf(User u, CredentialInfo credential, String ip) {
        return new Caller(new Principal(u.id(), PrincipalType.USER, u.username(), u.email(), u.orgId(), null, u.role(), u.orgAdmin(),
            u.operator(), u.disabled()), null, credential, Set.of(), ip);
    }

    /** Ends the caller's console session. */
    public void logout(Caller caller) {
        if (caller.credential() == null || caller.credential().kind() != CredentialKind.SESSION) {
            throw new ServiceException(ErrorCode.INVALID_VALUE, "Only a console session can log out");
        }
        String id = caller.credential().id();
        store.write(tx -> {
            tx.table(SessionStore.class).revoke(id, clock.instant());
            audit.append(tx, caller.orgId(), caller, "session.logout", "user:" + caller.principal().name(), Map.of("session_id", id));
            cache.principalChanged(tx, caller.principal().id());
            return null;
        });
    }
}
