// SPDX-License-Identifier: Apache-2.0
/**
 * The composition root of the core ({@link dev.servitor.Servitor}): it opens the store and wires
 * the application services that every interface (REST, SQL, CLI, console) goes through.
 */
package dev.servitor;
