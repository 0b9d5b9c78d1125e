// SPDX-License-Identifier: Apache-2.0
package dev.servitor.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.servitor.common.ErrorCode;
import dev.servitor.common.ServiceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserting that a command is refused with a given {@link ErrorCode}. */
public final class Refusals {
    private Refusals() {}

    /** Runs {@code command}, asserts it throws a ServiceException with {@code code}, and returns it. */
    public static ServiceException assertRefused(ErrorCode code, ThrowingCallable command) {
        Throwable thrown = catchThrowable(command);
        assertThat(thrown).as("expected a refusal with %s", code).isInstanceOf(ServiceException.class);
        ServiceException e = (ServiceException) thrown;
        assertThat(e.code()).as("error code (detail: %s)", e.detail()).isEqualTo(code);
        return e;
    }
}
