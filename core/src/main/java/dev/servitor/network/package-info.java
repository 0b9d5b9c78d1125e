// SPDX-License-Identifier: Apache-2.0
/**
 * Network policies: per-organization allow and block lists of IPv4/IPv6 addresses and CIDRs,
 * attached by name to the organization and to service accounts, their management rules
 * ({@link dev.servitor.network.NetworkPolicyService}) and the one place that decides whether a
 * client address may use a credential ({@link dev.servitor.network.NetworkPolicyEvaluator}).
 */
package dev.servitor.network;
