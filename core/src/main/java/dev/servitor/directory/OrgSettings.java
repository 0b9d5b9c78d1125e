// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

/** An organization's settings and quotas; changed by its admins through PATCH /v1/org. */
public record OrgSettings(boolean serviceAccountsRequireGroup, long accessTokenLifetimeSeconds, int maxServiceAccounts,
                          int maxKeysPerServiceAccount, int maxKeysPerUser) {}
