// SPDX-License-Identifier: Apache-2.0
package dev.servitor.webhook;

import java.util.List;

/** {@code PATCH /v1/webhooks/{id}}: null fields stay as they are. */
public record WebhookPatch(String url, List<String> events, String description, Boolean disabled) {}
