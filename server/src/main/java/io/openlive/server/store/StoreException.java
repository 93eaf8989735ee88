package io.openlive.server.store;

/** The store could not do what was asked; the message says what. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message, null, false, false);
    }
}
