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
        first.release();
        second.release();
    }

    @Test
    void aViewReadOrReleasedByOneResponseLeavesTheOthersWhole() {
        SharedBytes media = new SharedBytes(SEGMENT);
        ByteBuf sent = media.view();
        sent.skipBytes(1000);
        assertThat(sent.release()).as("a response's release after its write frees nothing the others need").isFalse();
        ByteBuf next = media.view();
        assertThat(next.readableBytes()).isEqualTo(SEGMENT.length);
        assertThat(ByteBufUtil.getBytes(next)).isEqualTo(SEGMENT);
        next.release();
        assertThat(media.direct().refCnt()).as("only the owner's reference is left").isEqualTo(1);
    }

    @Test
    void aDroppedCopyIsFreedWhenItsLastViewIsReleasedAndGivesNoNewViews() {
        SharedBytes media = new SharedBytes(SEGMENT);
        ByteBuf inFlight = media.view();
        ByteBuf root = root(inFlight);
        media.drop();
        assertThat(media.view()).as("no new views once dropped").isNull();
        assertThat(media.directBytes()).isZero();
        assertThat(root.refCnt()).as("still held by the response being written").isEqualTo(1);
        assertThat(ByteBufUtil.getBytes(inFlight)).as("and still whole for it").isEqualTo(SEGMENT);
        assertThat(inFlight.release()).as("the last release frees the memory").isTrue();
        assertThat(root.refCnt()).isZero();
        media.drop();
        assertThat(media.bytes()).as("the array stays for code that works on bytes").isSameAs(SEGMENT);
    }

    @Test
    void droppingACopyNeverMadeCostsNothing() {
        SharedBytes media = new SharedBytes(SEGMENT);
        media.drop();
        assertThat(media.view()).isNull();
        assertThat(media.direct()).isNull();
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
