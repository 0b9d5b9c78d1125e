// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import dev.servitor.compute.ComputeSettings;

/** {@code {"config":{"read_write":{"instance_size"},"read_scaling":{"instance_size","flock_size"}}}}, MotherDuck's shape. */
public record InstancesResponse(Config config) {
    public record Config(ReadWrite readWrite, ReadScaling readScaling) {}
    public record ReadWrite(String instanceSize) {}
    public record ReadScaling(String instanceSize, int flockSize) {}

    static InstancesResponse of(ComputeSettings s) {
        return new InstancesResponse(new Config(new ReadWrite(s.readWriteSize()), new ReadScaling(s.readScalingSize(), s.flockSize())));
    }
}
