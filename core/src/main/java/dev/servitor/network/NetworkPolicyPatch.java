// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import java.util.List;

/** A partial change of a policy: null leaves a field as it is; an empty list clears a list. */
public record NetworkPolicyPatch(String name, String description, List<String> allowedIps, List<String> blockedIps) {}
