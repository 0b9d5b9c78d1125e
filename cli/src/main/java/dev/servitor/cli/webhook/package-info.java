// SPDX-License-Identifier: Apache-2.0
/** {@code servitor webhook …}: the organization's webhook endpoints and their deliveries ({@code /v1/webhooks}). */
package dev.servitor.cli.webhook;
