// SPDX-License-Identifier: Apache-2.0
/**
 * The caller's vocabulary, the bottom of core: who is calling ({@link dev.servitor.caller.Caller}:
 * a {@link dev.servitor.caller.Principal} of a {@link dev.servitor.caller.PrincipalType}, the
 * acting admin under impersonation, the presented credential's {@link dev.servitor.caller.CredentialInfo}
 * and {@link dev.servitor.caller.CredentialKind}, the client address), the permissions it holds and
 * how a wildcard answers for a permission ({@link dev.servitor.caller.Permissions}), and how a
 * request names a key's owner ({@link dev.servitor.caller.KeyOwnerRef}, {@link dev.servitor.caller.OwnerKind}).
 * Plain values: nothing here reads the store or decides anything.
 */
package dev.servitor.caller;
