// SPDX-License-Identifier: Apache-2.0
package dev.servitor.directory;

/** List filters: name prefix, role, group and disabled state; null means "any". */
public record ServiceAccountFilter(String namePrefix, String role, String group, Boolean disabled, String unlinkedIn) {
    public ServiceAccountFilter(String namePrefix, String role, String group, Boolean disabled) {
        this(namePrefix, role, group, disabled, null);
    }

    public static ServiceAccountFilter none() {
        return new ServiceAccountFilter(null, null, null, null, null);
    }
}
