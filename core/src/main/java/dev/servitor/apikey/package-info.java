// SPDX-License-Identifier: Apache-2.0
/**
 * API keys of service accounts and users: minting (the secret shown once, only its SHA-256 stored),
 * listing, revoking, rotating with a grace period, and the cap on live keys per owner.
 */
package dev.servitor.apikey;
