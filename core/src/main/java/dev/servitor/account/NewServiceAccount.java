// SPDX-License-Identifier: Apache-2.0
package dev.servitor.account;

import java.util.List;

/** What a caller asks for when creating a service account; nulls mean "the default". */
public record NewServiceAccount(String name, String description, String role, List<String> groups,
                                String networkPolicy, Boolean orgAdmin) {}
