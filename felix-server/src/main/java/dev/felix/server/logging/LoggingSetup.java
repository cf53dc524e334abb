package dev.felix.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.felix.server.config.ServerConfig;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link ServerConfig.Logging} to Logback once configuration is validated: one console
 * appender on stdout (containers collect stdout) or stderr, text or JSON lines, root and per-logger
 * levels. Until then the bundled {@code logback.xml} (text, INFO, Netty at WARN) is in effect.
 */
public final class LoggingSetup {
  static final String TEXT_PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

  private LoggingSetup() {}

  public static void apply(ServerConfig.Logging logging) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J binding (e.g. in an embedding application): leave it alone
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(logging.stderr() ? "stderr" : "stdout");
    console.setTarget(logging.stderr() ? "System.err" : "System.out");
    console.setEncoder(encoder(context, logging.json()));
    console.start();
    root.addAppender(console);
    root.setLevel(level(logging.rootLevel()));
    for (Map.Entry<String, String> entry : logging.levels().entrySet()) {
      context.getLogger(entry.getKey()).setLevel(level(entry.getValue()));
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
    if (json) {
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.start();
      return encoder;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(TEXT_PATTERN);
    encoder.start();
    return encoder;
  }

  private static Level level(String name) {
    return Level.toLevel(name.toUpperCase(Locale.ROOT), Level.INFO);
  }
}
