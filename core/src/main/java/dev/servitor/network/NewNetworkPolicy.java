// SPDX-License-Identifier: Apache-2.0
package dev.servitor.network;

import java.util.List;

/** A policy to create; null lists are empty lists. */
public record NewNetworkPolicy(String name, String description, List<String> allowedIps, List<String> blockedIps) {}
