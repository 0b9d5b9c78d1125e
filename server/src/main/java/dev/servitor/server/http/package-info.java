// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP API of docs/api.md on Javalin and Jetty: authentication, the permission gate, the routes
 * (parse, one service call, render), problem documents, the edge limits (bodies, connections, failed
 * authentications), the verification hot path, metrics and the console's static pages.
 */
package dev.servitor.server.http;
