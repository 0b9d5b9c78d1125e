// SPDX-License-Identifier: Apache-2.0
/** The format of API keys and client secrets (base62 payload and CRC-32 checksum) and the SHA-256 that is all the store keeps of them. */
package dev.servitor.crypto;
