package io.openlive.server.store;

import io.openlive.engine.platform.BundleStore;
import io.openlive.engine.platform.Ids;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bundles on disk under {@code DATA/bundles/ab/abcdef….zip}, named by SHA-256. A write goes to a temporary file that is
 * synced, then renamed into place atomically, and the directory is synced: a bundle is either whole or absent.
 */
public final class FileBundleStore implements BundleStore {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public FileBundleStore(Path root) {
        this.root = root;
    }

    @Override
    public String put(byte[] zip) {
        String hash = Ids.sha256(zip);
        Path target = path(hash);
        if (Files.exists(target)) {
            return hash;
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), hash, ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(zip);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory(target.getParent());
            return hash;
        } catch (IOException e) {
            throw new StoreException("cannot store bundle " + hash + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> get(String hash) {
        if (!HASH.matcher(hash).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(path(hash)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read bundle " + hash + ": " + e.getMessage());
        }
    }

    private Path path(String hash) {
        return root.resolve(hash.substring(0, 2)).resolve(hash + ".zip");
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened; the rename itself is atomic
        }
    }
}
