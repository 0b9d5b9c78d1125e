// SPDX-License-Identifier: Apache-2.0
/**
 * The HTTP API of docs/api.md on Javalin and Jetty: the credential gate (who is calling and may they,
 * with the failed-authentication limits, for the routes, the OAuth endpoints and the hot path alike),
 * the routes (parse, one service call, render), problem documents and OAuth errors, the edge limits
 * (bodies, connections), the verification hot path, metrics and the console's static pages.
 */
package dev.servitor.server.http;
