// SPDX-License-Identifier: Apache-2.0
/**
 * The audit log: one hash chain of events per organization, appended inside the transaction of the
 * change it records, read with filters and re-computed to check that nothing was altered.
 */
package dev.servitor.audit;
