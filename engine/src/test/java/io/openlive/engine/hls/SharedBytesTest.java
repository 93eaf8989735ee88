package io.openlive.engine.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedBytesTest {
    private static final byte[] SEGMENT = new byte[650_000];

    static {
        for (int i = 0; i < SEGMENT.length; i++) {
            SEGMENT[i] = (byte) (i * 31);
        }
    }

    /** The buffer a view is made over, past every duplicate, slice and wrapper. */
    static ByteBuf root(ByteBuf b) {
        while (b.unwrap() != null) {
            b = b.unwrap();
        }
        return b;
    }

    @Test
    void everyViewIsTheSameDirectMemoryNotACopy() {
        SharedBytes media = new SharedBytes(SEGMENT);
        ByteBuf first = media.view();
        ByteBuf second = media.view();
        assertThat(first).isNotSameAs(second);
        assertThat(root(first)).as("one copy for every response").isSameAs(root(second)).isSameAs(root(media.direct()));
        assertThat(first.isDirect()).isTrue();
        if (first.hasMemoryAddress()) {
            assertThat(first.memoryAddress()).isEqualTo(second.memoryAddress());
        }
        assertThat(ByteBufUtil.getBytes(first)).isEqualTo(SEGMENT);
        assertThat(ByteBufUtil.getBytes(second)).isEqualTo(SEGMENT);
        assertThat(media.bytes()).isSameAs(SEGMENT);
    }

    @Test
    void aViewReadOrReleasedByOneResponseLeavesTheOthersWhole() {
        SharedBytes media = new SharedBytes(SEGMENT);
        ByteBuf sent = media.view();
        sent.skipBytes(1000);
        assertThat(sent.release()).as("the channel's release after a write frees nothing").isFalse();
        assertThat(sent.release()).isFalse();
        ByteBuf next = media.view();
        assertThat(next.readableBytes()).isEqualTo(SEGMENT.length);
        assertThat(ByteBufUtil.getBytes(next)).isEqualTo(SEGMENT);
        assertThatThrownBy(() -> next.setByte(0, 1)).as("read-only").isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }

    @Test
    void callersArrivingTogetherShareOneCopy() throws Exception {
        SharedBytes media = new SharedBytes(SEGMENT);
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ByteBuf>> views = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                views.add(pool.submit(() -> {
                    go.await();
                    return media.view();
                }));
            }
            go.countDown();
            ByteBuf one = root(views.get(0).get(30, TimeUnit.SECONDS));
            for (Future<ByteBuf> f : views) {
                assertThat(root(f.get(30, TimeUnit.SECONDS))).isSameAs(one);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void partsSegmentsAndTheirTsFormShareTheirDirectCopies() throws Exception {
        HlsPart part = new HlsPart(3, 0, 0.25, true, SEGMENT);
        assertThat(part.bytes()).isSameAs(SEGMENT);
        assertThat(root(part.media().view())).isSameAs(root(part.media().view()));
        HlsSegment segment = HlsSegmentTest.segment();
        assertThat(segment.tsMediaIfMuxed()).isNull();
        SharedBytes ts = segment.tsMedia();
        assertThat(segment.tsMediaIfMuxed()).isSameAs(ts);
        assertThat(segment.ts()).isSameAs(ts.bytes());
        assertThat(ByteBufUtil.getBytes(ts.view())).isEqualTo(segment.ts());
        assertThat(root(segment.fmp4Media().view())).isSameAs(root(segment.fmp4Media().view()));
    }
}
