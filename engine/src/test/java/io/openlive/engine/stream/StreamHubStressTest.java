package io.openlive.engine.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One publisher thread and viewers on four real event loops, joining in a storm and leaving and joining all along, some
 * of them turning unwritable for a while. Every viewer must see media in publishing order with a gap only where it
 * skipped to a key frame, every sink call must come on the viewer's own event loop and never under the stream's lock,
 * nothing may deadlock, and once the stream ends the stream's allocator must have freed every byte.
 */
class StreamHubStressTest {
    private static final int LOOPS = 4;
    private static final int INITIAL_VIEWERS_PER_LOOP = 100;
    private static final int MEDIA_FRAMES = 6_000;
    private static final int GOP_VIDEO_FRAMES = 30;
    private static final List<Function<Frame, ByteBuf>> ENCODINGS = List.of(Frame::flvTag, Frame::httpChunk,
            Frame::webSocketFrame, Frame::rtmpChunks, f -> f.rtmpChunks(2));

    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true);
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger joined = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicInteger skips = new AtomicInteger();
    private volatile boolean stopping;
    private StreamHub hub;
    private LiveStream stream;

    @Test
    void viewersOnFourLoopsJoiningAndLeavingWhileAPublisherWritesSeeFramesInOrderAndNothingLeaks() throws Exception {
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        DefaultEventExecutorGroup loops = new DefaultEventExecutorGroup(LOOPS);
        Scheduler scheduler = (delay, task) -> {
            var future = timers.schedule(task, delay, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
        hub = new StreamHub(StreamConfig.defaults().withRing(512, 2 << 20).withSlowReaderTimeout(Duration.ofMinutes(1)),
                scheduler, alloc, StreamListener.NONE);
        Publisher publisher = hub.publish("r1", "stress");
        stream = publisher.stream();
        try {
            startOfStream(publisher);
            for (EventExecutor loop : loops) { // the join storm: every loop at once, while the publisher starts
                loop.execute(() -> {
                    for (int i = 0; i < INITIAL_VIEWERS_PER_LOOP; i++) {
                        join(loop);
                    }
                });
            }
            CountDownLatch published = new CountDownLatch(1);
            Thread publishing = Thread.ofPlatform().name("publisher").start(() -> {
                publish(publisher);
                published.countDown();
            });
            assertThat(published.await(120, TimeUnit.SECONDS)).as("the publisher never waits for viewers").isTrue();
            publishing.join();

            stopping = true;
            for (EventExecutor loop : loops) { // after this, no loop will start another viewer
                loop.submit(() -> { }).get(30, TimeUnit.SECONDS);
            }
            hub.close();
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            assertThat(loops.awaitTermination(60, TimeUnit.SECONDS)).as("every loop finished its tasks").isTrue();
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            timers.shutdownNow();
        }
        System.out.printf("stress: %d viewers joined, %d media frames delivered, %d skips to a key frame%n",
                joined.get(), delivered.get(), skips.get());
        assertThat(errors).isEmpty();
        assertThat(joined.get()).as("viewers that joined").isGreaterThan(LOOPS * INITIAL_VIEWERS_PER_LOOP);
        assertThat(delivered.get()).isGreaterThan(MEDIA_FRAMES);
        assertThat(stream.readerCount()).isZero();
        assertThat(alloc.metric().usedDirectMemory() + alloc.metric().usedHeapMemory())
                .as("bytes the stream's allocator still holds once every frame and viewer is gone").isZero();
    }

    private void publish(Publisher publisher) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int video = 0;
        for (int n = 0; n < MEDIA_FRAMES; n++) {
            boolean isVideo = n % 5 != 4; // roughly 30 video frames to 8 audio frames
            ByteBuf body;
            int ts;
            if (isVideo) {
                boolean key = video % GOP_VIDEO_FRAMES == 0;
                ts = video * 33;
                video++;
                body = Unpooled.buffer();
                body.writeByte(key ? 0x17 : 0x27).writeByte(0x01).writeMedium(0).writeInt(n);
                body.writeZero(random.nextInt(key ? 4000 : 100, key ? 12000 : 3000));
            } else {
                ts = Math.max(0, video * 33 - 10);
                body = Unpooled.buffer();
                body.writeByte(0xAF).writeByte(0x01).writeInt(n).writeZero(random.nextInt(50, 400));
            }
            publisher.write(isVideo ? 9 : 8, ts, body);
            body.release();
            if (n % 2 == 1) {
                publisher.flush();
                LockSupport.parkNanos(100_000); // at least 100 µs a batch: fast enough that readers on loaded loops fall behind
            }
        }
        publisher.flush();
    }

    private static void startOfStream(Publisher p) {
        for (byte[] b : new byte[][]{{0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'},
                {0x17, 0x00, 0, 0, 0, 1, 0x64}, {(byte) 0xAF, 0x00, 0x11, (byte) 0x90}}) {
            p.write(b[0] == 0x02 ? 18 : b[0] == 0x17 ? 9 : 8, 0, Unpooled.wrappedBuffer(b));
        }
        p.flush();
    }

    /** On {@code loop}: a new viewer plays, as a connection's handler does when its request arrives. */
    private void join(EventExecutor loop) {
        if (stopping) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StressSink sink = new StressSink(loop, ENCODINGS.get(random.nextInt(ENCODINGS.size())),
                random.nextInt(5, 400), random.nextInt(4) == 0, random.nextBoolean());
        joined.incrementAndGet();
        sink.reader = hub.play("r1", sink);
    }

    /** A viewer on one event loop that checks what it is given and when, makes its protocol's bytes and keeps nothing. */
    private final class StressSink implements FrameSink {
        private final EventExecutor loop;
        private final Function<Frame, ByteBuf> encoding;
        private final int leaveAfter;
        private final boolean stalls;
        private final boolean clock;
        StreamReader reader;
        private boolean writable = true;
        private boolean leaving;
        private boolean sawVideoConfig;
        private int lastMedia = -1;
        private int media;

        StressSink(EventExecutor loop, Function<Frame, ByteBuf> encoding, int leaveAfter, boolean stalls, boolean clock) {
            this.loop = loop;
            this.encoding = encoding;
            this.leaveAfter = leaveAfter;
            this.stalls = stalls;
            this.clock = clock;
        }

        private void check(String call) {
            if (!loop.inEventLoop()) {
                errors.add(call + " called off the viewer's loop, on " + Thread.currentThread().getName());
            }
            if (Thread.holdsLock(stream.lock)) {
                errors.add(call + " called under the stream's lock");
            }
        }

        @Override
        public int write(Frame frame) {
            check("write");
            if (frame.refCnt() <= 0) {
                errors.add("written after release: " + frame);
                return 0;
            }
            ByteBuf bytes = encoding.apply(frame).retainedDuplicate(); // what a channel sink hands to the socket
            int size = bytes.readableBytes();
            bytes.release();
            switch (frame.kind()) {
                case VIDEO_CONFIG -> sawVideoConfig = true;
                case KEYFRAME, VIDEO, AUDIO -> media(frame);
                default -> { }
            }
            return size;
        }

        private void media(Frame frame) {
            ByteBuf body = frame.body();
            int n = body.getInt(frame.type() == 9 ? 5 : 2);
            boolean key = frame.kind() == Frame.Kind.KEYFRAME;
            if (!sawVideoConfig) {
                errors.add("media before the sequence header: " + frame);
            }
            if (lastMedia < 0 && !key) {
                errors.add("first media frame not a key frame: " + frame);
            } else if (lastMedia >= 0 && n != lastMedia + 1) {
                if (n <= lastMedia) {
                    errors.add("out of order: " + n + " after " + lastMedia);
                } else if (!key) {
                    errors.add("gap from " + lastMedia + " to " + n + " not at a key frame: " + frame);
                } else {
                    skips.incrementAndGet();
                }
            }
            lastMedia = n;
            delivered.incrementAndGet();
            if (++media == leaveAfter && !leaving) {
                leaving = true;
                loop.execute(() -> { // the connection closes: the viewer leaves and another comes
                    reader.detach();
                    join(loop);
                });
            } else if (stalls && media % 50 == 0 && writable) {
                writable = false; // a socket that fills up, then drains a moment later
                loop.schedule(() -> {
                    writable = true;
                    reader.signal();
                }, 2, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public long writableBytes() {
            return writable ? 64 * 1024 : 0;
        }

        @Override
        public boolean isWritable() {
            check("isWritable");
            return writable;
        }

        @Override
        public void flush() {
            check("flush");
        }

        @Override
        public void close(String reason) {
            check("close");
        }

        @Override
        public void publisherReturned() {
            check("publisherReturned");
        }

        @Override
        public void publisherDropped() {
            check("publisherDropped");
        }

        @Override
        public boolean wantsClock() {
            return clock;
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return loop;
        }

        @Override
        public boolean inExecutor() {
            return loop.inEventLoop();
        }

        @Override
        public long requestedAtNanos() {
            return System.nanoTime();
        }

        @Override
        public String protocol() {
            return "ws-flv";
        }
    }
}
