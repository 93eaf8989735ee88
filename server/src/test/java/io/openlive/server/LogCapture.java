package io.openlive.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects the log lines of one logger, so tests can check that a refusal is logged with its reason. */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    List<String> lines() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    boolean anyThrowable() {
        return events().stream().anyMatch(e -> e.getThrowableProxy() != null);
    }

    /**
     * A copy of the events so far. The server's threads append while a test reads; ListAppender's list is a plain
     * ArrayList, guarded only by the appender's own monitor (AppenderBase.doAppend is synchronized), so copy under it.
     */
    private List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
