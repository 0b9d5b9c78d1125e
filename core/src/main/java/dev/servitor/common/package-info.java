// SPDX-License-Identifier: Apache-2.0
/**
 * What every service shares: the error vocabulary ({@link dev.servitor.common.ErrorCode},
 * {@link dev.servitor.common.ServiceException}), keyset paging, resource ids, and the naming and
 * e-mail address rules.
 */
package dev.servitor.common;
