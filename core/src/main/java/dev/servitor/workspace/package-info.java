// SPDX-License-Identifier: Apache-2.0
/**
 * Workspaces of an organization (Firebolt's accounts) and the users inside them, each optionally
 * linked to one service account; a linked service account cannot be deleted.
 */
package dev.servitor.workspace;
