// SPDX-License-Identifier: Apache-2.0
package dev.servitor.audit;

/** The result of re-computing an organization's audit hash chain. */
public record ChainCheck(boolean intact, long eventsChecked, String firstBrokenId, Long firstBrokenSeq, String reason) {}
