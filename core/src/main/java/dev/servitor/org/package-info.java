// SPDX-License-Identifier: Apache-2.0
/**
 * Organizations, the tenants every other resource belongs to: their creation by an instance operator,
 * their settings and quotas, their monthly usage counters, and the first start that seeds {@code default}.
 */
package dev.servitor.org;
