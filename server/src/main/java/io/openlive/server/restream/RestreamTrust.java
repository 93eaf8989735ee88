package io.openlive.server.restream;

import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * What RTMPS destinations are verified against: the JVM's certificate authorities plus, when configured, the
 * certificates of a PEM file ({@link RestreamConfig#trustFile()}). Verification itself (chain and host name) is never
 * turned off. A file that cannot be read or holds no certificate stops the server at start with the reason.
 */
final class RestreamTrust {
    private RestreamTrust() {
    }

    /** Null when there is no trust file: the client keeps Vert.x's default, the JVM's authorities. */
    static TrustOptions of(RestreamConfig config) {
        Path file = config.trustFile();
        if (file == null) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : jvmAuthorities()) {
                store.setCertificateEntry("jvm-" + n++, ca);
            }
            Collection<? extends Certificate> extra;
            try (InputStream in = Files.newInputStream(file)) {
                extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (extra.isEmpty()) {
                throw new IllegalArgumentException("--restream-trust " + file + " holds no PEM certificate");
            }
            for (Certificate c : extra) {
                store.setCertificateEntry("restream-trust-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return TrustOptions.wrap(tmf);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--restream-trust " + file + " is not a readable PEM certificate file: " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] jvmAuthorities() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
