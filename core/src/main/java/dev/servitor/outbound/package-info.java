// SPDX-License-Identifier: Apache-2.0
/** Servitor's outgoing HTTP calls (webhooks; later issuers' key sets): one client, public addresses only unless configured, bounded in time and size. */
package dev.servitor.outbound;
