// SPDX-License-Identifier: Apache-2.0
/**
 * {@code servitor user|group|role|policy create|list|get|update|delete}: human users, groups, roles and
 * network policies. The verbs share one implementation per verb ({@code Resource*Command}); each resource
 * adds only its own options, as nested classes of its command group.
 */
package dev.servitor.cli.access;
