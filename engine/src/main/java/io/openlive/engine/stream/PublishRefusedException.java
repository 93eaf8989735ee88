package io.openlive.engine.stream;

/** A publish attempt the hub refuses, e.g. a second publisher on a live room. */
public final class PublishRefusedException extends Exception {
    public PublishRefusedException(String message) {
        super(message, null, false, false);
    }
}
