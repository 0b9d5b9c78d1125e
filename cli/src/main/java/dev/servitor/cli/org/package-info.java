// SPDX-License-Identifier: Apache-2.0
/** {@code servitor org}: the caller's organization (its credential policy). */
package dev.servitor.cli.org;
