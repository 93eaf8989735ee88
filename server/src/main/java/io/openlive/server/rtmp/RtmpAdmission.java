package io.openlive.server.rtmp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.openlive.protocol.rtmp.RtmpChunkDecoder;
import io.openlive.protocol.rtmp.RtmpDecoderConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RTMP port's door: a connection is "pending" from accept until it publishes with a valid stream key or plays a
 * room. A pending connection must get there within {@link RtmpLimits#admissionDeadlineSeconds()} whatever it sends
 * meanwhile (the idle timer alone was kept alive by one byte every 20 s), reads with the small limits of
 * {@link RtmpDecoderConfig#beforePublish()}, and counts against {@link RtmpLimits#maxPendingPerAddress()} per remote
 * address (unless that is 0). A publisher gets the full decoder limits once admitted. One log line per refusal.
 *
 * <p>One instance per connection, first in the pipeline, sharing a {@link Door} per listener. Usage:
 * {@code pipeline.addFirst("rtmp-admission", new RtmpAdmission(door))}; {@code RtmpAdmission.admitted(ctx, true)} from
 * the connection when publishing starts.
 */
final class RtmpAdmission extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RtmpAdmission.class);

    /** What the connections of one listener share: pending counts per address and the limits. */
    static final class Door {
        final int deadlineSeconds;
        final int maxPendingPerAddress;
        private final ConcurrentHashMap<InetAddress, AtomicInteger> pending = new ConcurrentHashMap<>();

        Door(RtmpLimits limits) {
            this.deadlineSeconds = limits.admissionDeadlineSeconds();
            this.maxPendingPerAddress = limits.maxPendingPerAddress();
        }

        boolean enter(InetAddress a) {
            if (maxPendingPerAddress == 0) {
                return true; // no cap: nothing to count, so leave() has nothing to settle either
            }
            AtomicInteger n = pending.computeIfAbsent(a, k -> new AtomicInteger());
            if (n.incrementAndGet() > maxPendingPerAddress) {
                leave(a);
                return false;
            }
            return true;
        }

        void leave(InetAddress a) {
            if (maxPendingPerAddress == 0) {
                return;
            }
            pending.computeIfPresent(a, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private final Door door;
    private InetAddress address;
    private boolean pending;
    private ScheduledFuture<?> deadline;

    RtmpAdmission(Door door) {
        this.door = door;
    }

    /** Vert.x hands over connections already active: the door is passed when this handler is added. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
            address = a.getAddress();
        }
        if (address != null && !door.enter(address)) {
            log.info("[rtmp {}] refused: more than {} connections from this address are not yet publishing or playing",
                    address.getHostAddress(), door.maxPendingPerAddress);
            ctx.close();
            return;
        }
        pending = true;
        deadline = ctx.executor().schedule(() -> {
            if (pending && ctx.channel().isActive()) {
                log.info("[rtmp {}] closed: not publishing or playing {} s after connecting", peer(ctx), door.deadlineSeconds);
                ctx.close();
            }
        }, door.deadlineSeconds, TimeUnit.SECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        settle();
        ctx.fireChannelInactive();
    }

    private void settle() {
        if (pending) {
            pending = false;
            if (address != null) {
                door.leave(address);
            }
        }
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /**
     * Called by the connection (on its event loop) once it publishes with a valid key or plays a room: the deadline is
     * off, the address's pending slot is free, and a publisher's decoder gets the full limits for media.
     */
    static void admitted(ChannelHandlerContext ctx, boolean publisher) {
        if (ctx.pipeline().get(RtmpAdmission.class) instanceof RtmpAdmission a) {
            a.settle();
        }
        if (publisher && ctx.pipeline().get(RtmpChunkDecoder.class) instanceof RtmpChunkDecoder d) {
            d.limits(RtmpDecoderConfig.defaults());
        }
    }

    private static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort() : "?";
    }
}
