// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem document; {@code field} names the input at fault when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, String field, String requestId) {}
