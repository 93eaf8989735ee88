package io.openlive.server.restream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 (subject alternative name IP:127.0.0.1, so host name verification can pass)
 * made by the running JDK's keytool, written as PEM for nginx: {@code cert.pem} and {@code key.pem} (PKCS#8) in
 * {@code dir}. Each one is a new key pair, so two of them never trust each other.
 */
final class SelfSignedCertificate {
    final Path cert;
    final Path key;

    SelfSignedCertificate(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ingest", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate c = ks.getCertificate("ingest");
        Key k = ks.getKey("ingest", "changeit".toCharArray());
        cert = dir.resolve(name + "-cert.pem");
        key = dir.resolve(name + "-key.pem");
        Files.writeString(cert, pem("CERTIFICATE", c.getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", k.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
