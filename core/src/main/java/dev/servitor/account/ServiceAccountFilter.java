// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

/** List filters: name prefix, role, group and disabled state; null means "any". */
public record ServiceAccountFilter(String namePrefix, String role, String group, Boolean disabled) {
    public static ServiceAccountFilter none() {
        return new ServiceAccountFilter(null, null, null, null);
    }
}
