// SPDX-License-Identifier: Apache-2.0
/** {@code servitor key …}: API keys of a service account (or, with {@code --user}, a user's personal keys). */
package dev.servitor.cli.key;
