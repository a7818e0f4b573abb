package com.paystream.consumer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.KafkaException;

/**
 * The command line: standard output carries one JSON line per record and nothing else (everything
 * else, the Kafka client's logging included, goes to standard error). Exit codes: 0 done, 1 the
 * cluster failed us, 2 the arguments or the trust file cannot be used.
 */
public final class Main {
  private static final String NAME = "paystream-results-consumer";

  private Main() {}

  public static void main(String[] argv) {
    System.exit(run(argv));
  }

  static int run(String[] argv) {
    PrintStream lines = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err);
    if (Arrays.asList(argv).contains("--help")) {
      System.err.println(Arguments.USAGE);
      return 0;
    }
    Arguments args;
    TrustFile trust;
    try {
      args = Arguments.parse(argv);
      trust = TrustFile.read(args.trust);
    } catch (Arguments.UsageException | TrustFile.InvalidTrustFile e) {
      System.err.println(NAME + ": " + e.getMessage());
      System.err.println(Arguments.USAGE);
      return 2;
    }
    try {
      new ResultsConsumer(args, EventHandler.of(trust), lines).run();
      return 0;
    } catch (KafkaException | IOException e) {
      System.err.println(NAME + ": consuming " + args.topic + " failed: " + describe(e));
      return 1;
    } finally {
      lines.flush();
    }
  }

  /** The exception and its causes, one message after another. */
  private static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (out.length() > 0) out.append(": ");
      out.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }
    return out.toString();
  }
}
