// SPDX-License-Identifier: Apache-2.0
/**
 * Per-key rate limits and usage credits (docs/api.md "Per-key restrictions"; the design and its
 * bounds: docs/key-limits.md). {@link dev.servitor.keylimit.KeyUsage} admits one use of a key.
 */
package dev.servitor.keylimit;
