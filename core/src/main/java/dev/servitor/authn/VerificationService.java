// SPDX-License-Identifier: Apache-2.0
package dev.servitor.authn;

import dev.servitor.authz.Authorizer;
import dev.servitor.caller.Caller;
import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import dev.servitor.network.IpRules;
import dev.servitor.org.UsageCounters;

/**
 * {@code /v1/verify}: a trusted caller (holding {@code verify}) asks about someone else's
 * credential and learns the reason when it is refused. A caller sees credentials of its own
 * organization only; an instance operator sees every organization's.
 */
public final class VerificationService {
    private final CredentialVerifier verifier;
    private final Authorizer authz;
    private final UsageCounters usage;

    public VerificationService(CredentialVerifier verifier, Authorizer authz, UsageCounters usage) {
        this.verifier = verifier;
        this.authz = authz;
        this.usage = usage;
    }

    /** {@code ip}: the end client's address as the gateway saw it, or null for the verifying caller's own. */
    public Verification verify(Caller gateway, String credential, String permission, String ip) {
        authz.requireVerifier(gateway); // authorization before validation: a stranger learns nothing of the rules
        if (credential == null) throw ServiceException.field(ErrorCode.MISSING_FIELD, "credential", "'credential' is required");
        if (ip != null && !IpRules.isAddress(ip)) {
            throw ServiceException.field(ErrorCode.INVALID_IP, "ip", "'ip' must be an IPv4 or IPv6 address");
        }
        usage.count(gateway.orgId(), UsageCounters.VERIFICATIONS);
        Verification v = verifier.verify(credential, ip != null ? ip : gateway.ip());
        if (!authz.maySeeCredentialOf(gateway, v.caller())) {
            return Verification.NOT_FOUND; // another tenant's credential: not even its existence is told
        }
        if (v.valid() && !authz.mayExercise(v.caller(), permission)) {
            return new Verification(VerificationCode.FORBIDDEN, v.caller(), v.restrictions());
        }
        return v;
    }
}
