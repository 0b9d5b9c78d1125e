// SPDX-License-Identifier: Apache-2.0
/**
 * The server's configuration: every key as an environment variable, the loading of defaults, a file, the
 * environment and flags into a {@link dev.servitor.config.ServitorConfig}, and logging set up in code.
 */
package dev.servitor.server.config;
