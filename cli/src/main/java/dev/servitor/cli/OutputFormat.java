// SPDX-License-Identifier: Apache-2.0
package dev.servitor.cli;

/** {@code -o table|json|yaml}. Lower-case constants so that picocli accepts the words as users type them. */
public enum OutputFormat { table, json, yaml }
