package io.openlive.server.store;

/** The store could not do what was asked; the message says what, and the cause (when there is one) why. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message, null, false, false);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
