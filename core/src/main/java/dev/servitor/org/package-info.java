// SPDX-License-Identifier: Apache-2.0
/**
 * Organizations, the tenants every other resource belongs to: their creation by an instance
 * operator with their first admin and key, their settings and quotas as their admins see them,
 * their monthly usage counters, and the first start that seeds {@code default}. The organization
 * record and its table store are in {@code dev.servitor.directory}.
 */
package dev.servitor.org;
