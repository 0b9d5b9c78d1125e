// SPDX-License-Identifier: Apache-2.0
/** OAuth client secrets of service accounts (Firebolt's "service account key"): generated, replaced and checked; only their SHA-256 is stored. */
package dev.servitor.oauthclient;
