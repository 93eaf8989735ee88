package io.openlive.server.restream;

import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * A destination's failed connect as its last error says it: a certificate that does not verify (unknown authority,
 * wrong host name, expired) is named as such with the reason the JDK gives deepest in the chain, since the outer
 * exceptions only say that a TLS connection failed. Usage: {@code link.failed(ConnectFailure.describe(e))}.
 */
final class ConnectFailure {
    private ConnectFailure() {
    }

    static String describe(Throwable e) {
        Throwable root = e;
        boolean certificate = false;
        boolean tls = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            certificate |= t instanceof CertificateException || t instanceof CertPathBuilderException || t instanceof CertPathValidatorException;
            tls |= t instanceof SSLException || t instanceof GeneralSecurityException;
        }
        String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (certificate) {
            return "TLS: the destination's certificate does not verify: " + reason;
        }
        if (tls) {
            return "TLS handshake failed: " + reason;
        }
        return "connect failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
