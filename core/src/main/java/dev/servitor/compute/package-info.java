// SPDX-License-Identifier: Apache-2.0
/**
 * Compute settings of a service account (MotherDuck's "Ducklings"): the instance size of its
 * read-write instance and the size and flock (replica pool) of its read-scaling instances.
 * Replaced whole on every PUT; defaults apply until the first one.
 */
package dev.servitor.compute;
