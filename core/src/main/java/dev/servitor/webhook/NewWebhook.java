// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.util.List;

/** {@code POST /v1/webhooks}: {@code description} and {@code disabled} may be null. */
public record NewWebhook(String url, List<String> events, String description, Boolean disabled) {}
