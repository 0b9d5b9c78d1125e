// SPDX-License-Identifier: Apache-2.0
package dev.servitor.federation;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The public issuers that sign tokens for every customer of theirs alike: a credential that trusts
 * one of them without pinning the tenant (the repository owner, the group, the organization, the
 * Workspace domain) would let anyone's workload on that platform in. Kept here, in one place;
 * {@link #tenantPinned} decides whether a credential pins one (docs/security.md).
 */
final class SharedIssuers {
    /**
     * A shared issuer: how its URL is recognized, the claims that name a tenant, and the pattern a
     * {@code subject_prefix} must match to pin one (its subjects start with the tenant).
     */
    record Shared(String platform, Pattern host, Set<String> tenantClaims, Pattern pinningPrefix) {}

    /**
     * For an issuer whose subjects do not start with the tenant (Google's sub is a bare account number,
     * all of them starting with 1): no prefix pins one; only a whole subject or a tenant claim does.
     */
    private static final Pattern NO_PREFIX = Pattern.compile("(?!)");

    static final List<Shared> ALL = List.of(
        new Shared("GitHub Actions", Pattern.compile("token\\.actions\\.githubusercontent\\.com"),
            Set.of("repository_owner", "repository_owner_id", "repository", "repository_id"),
            Pattern.compile("repo:[^:/*]+/.*", Pattern.DOTALL)),
        new Shared("GitLab.com", Pattern.compile("gitlab\\.com"),
            Set.of("namespace_path", "namespace_id", "project_path", "project_id"),
            Pattern.compile("project_path:[^:/*]+/.*", Pattern.DOTALL)),
        new Shared("Semaphore", Pattern.compile("[a-z0-9-]+\\.semaphoreci\\.com"), Set.of("org", "org_id"),
            Pattern.compile("org:[^:*]+:.*", Pattern.DOTALL)),
        new Shared("Buildkite", Pattern.compile("agent\\.buildkite\\.com"), Set.of("organization_slug", "organization_id"),
            Pattern.compile("organization:[^:*]+:.*", Pattern.DOTALL)),
        new Shared("Terraform Cloud", Pattern.compile("app\\.terraform\\.io"),
            Set.of("terraform_organization_name", "terraform_organization_id"),
            Pattern.compile("organization:[^:*]+:.*", Pattern.DOTALL)),
        new Shared("Google", Pattern.compile("accounts\\.google\\.com"), Set.of("hd", "email"), NO_PREFIX),
        new Shared("CircleCI", Pattern.compile("oidc\\.circleci\\.com"), Set.of("oidc.circleci.com/project-id"),
            Pattern.compile("org/[^/*]+/.*", Pattern.DOTALL)), // org/<organization id>/project/<project id>/user/<user id>
        new Shared("Bitbucket Pipelines", Pattern.compile("api\\.bitbucket\\.org"), Set.of("workspaceUuid", "repositoryUuid"),
            Pattern.compile("\\{[^}*]+\\}.*", Pattern.DOTALL))); // {<repository uuid>}:{<step uuid>}

    private SharedIssuers() {}

    /** The shared issuer {@code issuerUrl} names; empty for any other (a private cluster's, a tenant-specific URL). */
    static Optional<Shared> of(String issuerUrl) {
        URI u;
        try {
            u = new URI(issuerUrl);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
        if (u.getHost() == null) return Optional.empty();
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        // a path names a tenant of its own (GitHub Enterprise's token.actions.githubusercontent.com/<enterprise>)
        if (!path.isEmpty() && !path.equals("/")) return Optional.empty();
        String host = u.getHost().toLowerCase(java.util.Locale.ROOT);
        return ALL.stream().filter(s -> s.host().matcher(host).matches()).findFirst();
    }

    /**
     * True if a credential on {@code shared} names a tenant: a subject, a subject prefix that
     * starts with one, an exact match of a tenant claim, or a condition on a tenant claim.
     */
    static boolean tenantPinned(Shared shared, String subject, String subjectPrefix, Map<String, String> claims, String condition) {
        if (subject != null) return true;
        if (subjectPrefix != null && shared.pinningPrefix().matcher(subjectPrefix).matches()) return true;
        for (String claim : shared.tenantClaims()) {
            if (claims.containsKey(claim) && !claims.get(claim).isEmpty()) return true;
            if (condition != null && mentions(condition, claim)) return true;
        }
        return false;
    }

    private static boolean mentions(String condition, String claim) {
        String q = Pattern.quote(claim);
        return Pattern.compile("claims\\s*\\.\\s*" + q + "\\b").matcher(condition).find()
            || Pattern.compile("claims\\s*\\[\\s*['\"]" + q + "['\"]\\s*\\]").matcher(condition).find();
    }
}
