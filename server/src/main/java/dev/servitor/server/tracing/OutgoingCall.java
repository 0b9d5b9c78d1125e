// SPDX-License-Identifier: Apache-2.0
package dev.servitor.server.tracing;

import dev.servitor.outbound.CallObserver;
import java.util.Map;

/**
 * One outgoing HTTP call as {@link Tracing#outgoing} sees it: the caller adds {@link #headers()}
 * to the request (the W3C {@code traceparent} that lets the receiver continue the trace), then
 * reports exactly one of {@link #answered} or {@link #failed}. It is the core's
 * {@link CallObserver.Call}, so {@code tracing::outgoing} is the core's {@link CallObserver}.
 */
public interface OutgoingCall extends CallObserver.Call {
    /** Not traced: no headers to add, nothing to report. */
    OutgoingCall NONE = new OutgoingCall() {
        @Override public Map<String, String> headers() { return Map.of(); }
        @Override public void answered(int status) {}
        @Override public void failed(Throwable failure) {}
    };

    /** Headers to send with the call; empty when it is not traced. */
    @Override
    Map<String, String> headers();

    /** The call got an answer with this status. */
    @Override
    void answered(int status);

    /** The call got no answer (connection refused, timeout, …). Only the failure's type is recorded, never its message. */
    @Override
    void failed(Throwable failure);
}
