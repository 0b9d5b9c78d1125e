// SPDX-License-Identifier: Apache-2.0
/**
 * {@link dev.servitor.config.ServitorConfig}: every setting of one node, immutable and validated once
 * at start-up. The server module fills it; docs/configuration.md documents each key.
 */
package dev.servitor.config;
