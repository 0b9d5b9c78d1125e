// SPDX-License-Identifier: Apache-2.0
/**
 * A small client of the Servitor HTTP API (docs/api.md) for platforms and for the {@code servitor}
 * command line. It depends on nimbus-jose-jwt only (its {@code JSONObjectUtils} does the JSON).
 * Results that carry a secret (a new key, a client secret, an access token) never print it from
 * {@code toString()}: the secret is shown once, by whoever asked for it, and nowhere else.
 */
package dev.servitor.sdk;
