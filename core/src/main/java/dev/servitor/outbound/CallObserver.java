// SPDX-License-Identifier: Apache-2.0
package dev.servitor.outbound;

import java.net.URI;
import java.util.Map;

/**
 * What {@link OutboundHttp} tells about each call it makes, so that the server can trace it (a
 * client span, its {@code traceparent} sent along) without the core knowing any tracing library:
 * the same kind of hook as the store's ({@code Servitor.start(config, clock, storeAround)}).
 */
@FunctionalInterface
public interface CallObserver {
    /** Nothing observed. */
    CallObserver NONE = (method, target) -> Call.NONE;

    /** A call about to be sent to {@code target} (after its address was allowed). */
    Call start(String method, URI target);

    /** One observed call: its headers are sent with it, then exactly one of {@link #answered} or {@link #failed} is reported. */
    interface Call {
        Call NONE = new Call() {
            @Override public Map<String, String> headers() { return Map.of(); }
            @Override public void answered(int status) {}
            @Override public void failed(Throwable failure) {}
        };

        /** Headers to send with the call (e.g. {@code traceparent}); empty for none. */
        Map<String, String> headers();

        /** The call got an answer with this status. */
        void answered(int status);

        /** The call got no answer (refused connection, timeout, interruption). */
        void failed(Throwable failure);
    }
}
