// SPDX-License-Identifier: Apache-2.0
/**
 * Who may do what: every rule in one place ({@link dev.servitor.authz.Authorizer}), one method per
 * decision, asked by the server's permission gate before any input is read and by the services
 * again. Each refusal is recorded through {@link dev.servitor.authz.RefusalLog}, which the audit log
 * implements from the layer above.
 */
package dev.servitor.authz;
