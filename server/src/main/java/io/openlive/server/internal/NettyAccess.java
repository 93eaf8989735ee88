package io.openlive.server.internal;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches under Vert.x to the Netty channel of a connection. Egress writes reference-counted
 * duplicates of shared frame buffers straight to the channel, which the public {@code write(Buffer)} cannot do without a
 * copy (it wraps a caller's buffer as unreleasable, leaving its lifetime to the caller).
 */
public final class NettyAccess {
    private NettyAccess() {
    }

    public static ChannelHandlerContext of(NetSocket socket) {
        return ((NetSocketInternal) socket).channelHandlerContext();
    }

    public static ChannelHandlerContext of(HttpServerRequest request) {
        return ((ConnectionBase) request.connection()).channelHandlerContext();
    }
}
