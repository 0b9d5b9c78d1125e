// SPDX-License-Identifier: Apache-2.0
/** TLS without a proxy in front: the server's certificate and key from PEM files, reloaded when they change. */
package dev.servitor.server.tls;
