// SPDX-License-Identifier: Apache-2.0
/** {@code servitor audit …}: the organization's hash-chained audit log. */
package dev.servitor.cli.audit;
