package io.openlive.kernel.flv;

import io.netty.buffer.ByteBuf;

/**
 * One FLV tag as read by {@link FlvReader}: type, 32-bit timestamp in milliseconds and the tag body. The caller owns
 * {@code data} and must release it.
 */
public record FlvTag(int type, int timestamp, ByteBuf data) {
}
