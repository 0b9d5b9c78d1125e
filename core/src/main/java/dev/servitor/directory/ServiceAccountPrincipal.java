// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.util.List;

/**
 * What the verifier needs to build a service account's principal, read in one statement: the
 * account (without its key count), its organization's name and group rule, and its groups.
 */
public record ServiceAccountPrincipal(ServiceAccount account, String orgName, boolean orgRequiresGroup, List<String> groups) {}
