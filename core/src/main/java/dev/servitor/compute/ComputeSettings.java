// SPDX-License-Identifier: Apache-2.0
package dev.servitor.compute;

/** The compute of one service account: a read-write size, and a read-scaling size with its flock size (1-16). */
public record ComputeSettings(String readWriteSize, String readScalingSize, int flockSize) {}
