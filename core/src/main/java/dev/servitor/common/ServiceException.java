// SPDX-License-Identifier: Apache-2.0
package dev.servitor.common;

/**
 * The one exception a service throws for a refused command. {@code detail} is public and is
 * shown to the caller; {@code internalDetail} goes to the log only. Neither may ever contain
 * a secret.
 */
public final class ServiceException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final String internalDetail;

    public ServiceException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public ServiceException(ErrorCode code, String detail, String field, String internalDetail) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
        this.internalDetail = internalDetail;
    }

    /** A refusal that concerns one input field; the field is named in the problem document. */
    public static ServiceException field(ErrorCode code, String field, String detail) {
        return new ServiceException(code, detail, field, null);
    }

    public ErrorCode code() { return code; }
    public String detail() { return getMessage(); }
    /** The input field at fault, or null. */
    public String field() { return field; }
    public String internalDetail() { return internalDetail; }
}
