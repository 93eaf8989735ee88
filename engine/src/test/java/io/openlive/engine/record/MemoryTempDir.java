package io.openlive.engine.record;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary folder in memory ({@code /dev/shm}) where the machine has one. The recorder fsyncs every part; on a disk
 * shared with a whole test suite an fsync waits for everyone's dirty pages (ext4 commits its journal as a whole), which
 * once held a clean CI run's recording past a minute. Tests of what is recorded and pruned do not test the disk: the
 * crash test, which does, keeps a real one.
 */
public final class MemoryTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws Exception {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "openlive-test-")
                : Files.createTempDirectory("openlive-test-");
    }
}
