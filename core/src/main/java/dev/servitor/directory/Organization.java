// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

import java.time.Instant;

/** A customer of the platform: the tenant every other resource belongs to. */
public record Organization(String id, String name, Instant createdAt) {}
