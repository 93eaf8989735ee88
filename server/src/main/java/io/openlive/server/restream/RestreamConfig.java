package io.openlive.server.restream;

import java.nio.file.Path;

/**
 * Restream settings. {@code trustFile}: PEM certificates that RTMPS destinations may also chain to, besides the JVM's
 * certificate authorities (null: the JVM's alone, the default). For an ingest with a private CA or a self-signed
 * certificate; the host name is verified either way. Usage: {@code serve --restream-trust /etc/openlive/ingest-ca.pem}.
 */
public record RestreamConfig(Path trustFile) {
    public static RestreamConfig defaults() {
        return new RestreamConfig(null);
    }
}
