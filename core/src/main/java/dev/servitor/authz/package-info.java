// SPDX-License-Identifier: Apache-2.0
/** The decisions about who may call what, made before any input is read ({@link dev.servitor.authz.Authorizer}). */
package dev.servitor.authz;
