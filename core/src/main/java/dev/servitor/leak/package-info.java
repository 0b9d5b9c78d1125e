// SPDX-License-Identifier: Apache-2.0
/**
 * Leak response (docs/api.md "Leaked credentials", docs/leaks.md): a credential found in public,
 * reported by GitHub's secret scanning or by anyone, is revoked or flagged per its
 * organization's {@code on_leak}, and audited as {@code key.exposed} / {@code secret.exposed}
 * (which emits the webhook event in the same transaction).
 */
package dev.servitor.leak;
