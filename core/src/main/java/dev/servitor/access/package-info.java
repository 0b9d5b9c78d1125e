// SPDX-License-Identifier: Apache-2.0
/**
 * Roles and groups: the built-in roles, an organization's custom roles and groups, and how a
 * principal's permissions are resolved from its role, its groups' roles and its org-admin flag.
 */
package dev.servitor.access;
