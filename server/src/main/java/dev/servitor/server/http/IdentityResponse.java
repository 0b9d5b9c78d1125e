// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.servitor.caller.Caller;
import dev.servitor.caller.CredentialInfo;
import dev.servitor.caller.FederatedIdentity;
import dev.servitor.caller.Principal;
import java.time.Instant;
import dev.servitor.apikey.KeyRestrictions;
import java.util.List;
import java.util.Map;

/**
 * The shapes of /v1/whoami and /v1/verify: who the credential stands for, who acts under an
 * impersonation, what it may do, and what credential it is.
 */
final class IdentityResponse {
    private IdentityResponse() {}

    record PrincipalJson(String id, String type, String name, String email, String org) {
        static PrincipalJson of(Principal p) {
            return p == null ? null : new PrincipalJson(p.id(), p.type().wire(), p.name(), p.email(), p.orgName());
        }
    }

    /** Where a token obtained by workload identity federation came from: issuer name, workload subject, federated credential. */
    record FederationJson(String issuer, String subject, String credential) {
        static FederationJson of(FederatedIdentity f) {
            return f == null ? null : new FederationJson(f.issuer(), f.subject(), f.credential());
        }
    }

    record CredentialJson(String id, String kind, String type, Instant expiresAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) FederationJson federation) {
        static CredentialJson of(CredentialInfo c) {
            return new CredentialJson(c.id(), c.kind().wire(), c.type(), c.expiresAt(), FederationJson.of(c.federation()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WhoAmI(PrincipalJson principal, PrincipalJson actor, List<String> permissions, CredentialJson credential) {
        static WhoAmI of(Caller c) {
            return new WhoAmI(PrincipalJson.of(c.principal()), PrincipalJson.of(c.actor()),
                c.permissions().stream().sorted().toList(), CredentialJson.of(c.credential()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Verify(boolean valid, String code, PrincipalJson principal, PrincipalJson actor, List<String> permissions,
                  CredentialJson credential, Map<String, Object> restrictions) {
        static Verify of(boolean valid, String code, Caller c) {
            return of(valid, code, c, null);
        }

        /** {@code restrictions}: those of an API key that has any (docs/api.md "Per-key restrictions"), else null. */
        static Verify of(boolean valid, String code, Caller c, KeyRestrictions restrictions) {
            Map<String, Object> r = restrictions == null ? null : restrictions.toMap();
            if (c == null) return new Verify(valid, code, null, null, null, null, r);
            return new Verify(valid, code, PrincipalJson.of(c.principal()), PrincipalJson.of(c.actor()),
                c.permissions().stream().sorted().toList(), CredentialJson.of(c.credential()), r);
        }
    }
}
