// SPDX-License-Identifier: Apache-2.0
/** The {@code servitor} executable ({@link dev.servitor.server.Main}): {@code serve} runs the server, the other verbs are tools and clients. */
package dev.servitor.server;
