// SPDX-License-Identifier: Apache-2.0
/** {@code servitor sa …}: service accounts, one class per verb. */
package dev.servitor.cli.sa;
