// SPDX-License-Identifier: Apache-2.0
/**
 * Public-key credentials of service accounts: up to two public keys per account (EC P-256 or RSA
 * of at least 2048 bits), and the check of a {@code private_key_jwt} client assertion (RFC 7523
 * section 2.2) signed with one of them.
 */
package dev.servitor.publickey;
