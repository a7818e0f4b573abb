package com.paystream.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The common consumer arguments of docs/consumers/README.md, checked before anything connects. */
public final class Arguments {
  static final String USAGE =
      "usage: java -jar paystream-results-consumer.jar --brokers host:port[,host:port] --topic NAME --group ID\n"
          + "       --trust FILE [--max-events N] [--tls-ca FILE] [--sasl-username NAME --sasl-password-file FILE]";

  private static final List<String> NAMES =
      List.of("brokers", "topic", "group", "trust", "max-events", "tls-ca", "sasl-username", "sasl-password-file");

  /** Arguments that cannot be used, with the reason. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public final String brokers;
  public final String topic;
  public final String group;
  public final Path trust;
  /** Stop after this many records; 0 runs until stopped. */
  public final long maxEvents;
  /** The CA (PEM) to verify the brokers' certificates with; null on a plaintext cluster. */
  public final Path tlsCa;
  public final String saslUsername;
  public final Path saslPasswordFile;

  private Arguments(Map<String, String> v) throws UsageException {
    brokers = required(v, "brokers");
    topic = required(v, "topic");
    group = required(v, "group");
    trust = readable(v, "trust");
    maxEvents = count(v.get("max-events"));
    tlsCa = v.containsKey("tls-ca") ? readable(v, "tls-ca") : null;
    saslUsername = v.get("sasl-username");
    saslPasswordFile = v.containsKey("sasl-password-file") ? readable(v, "sasl-password-file") : null;
    if ((saslUsername == null) != (saslPasswordFile == null))
      throw new UsageException("--sasl-username and --sasl-password-file go together");
    if (saslUsername != null && tlsCa == null)
      throw new UsageException("SASL/SCRAM runs over TLS only: give --tls-ca with --sasl-username");
    for (String broker : brokers.split(",", -1))
      if (!broker.matches("(\\[[0-9A-Fa-f:.]+\\]|[^\\s:,\\[\\]]+):\\d{1,5}"))
        throw new UsageException("--brokers takes host:port[,host:port], not '" + brokers + "'");
  }

  /** Reads {@code --name value} and {@code --name=value} pairs. */
  public static Arguments parse(String[] args) throws UsageException {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) throw new UsageException("unexpected argument '" + arg + "'");
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!NAMES.contains(name)) throw new UsageException("unknown option --" + name);
      if (value == null) {
        if (i + 1 >= args.length) throw new UsageException("--" + name + " needs a value");
        value = args[++i];
      }
      if (values.put(name, value) != null) throw new UsageException("--" + name + " is given twice");
    }
    return new Arguments(values);
  }

  private static String required(Map<String, String> v, String name) throws UsageException {
    String value = v.get(name);
    if (value == null || value.isBlank()) throw new UsageException("--" + name + " is required");
    return value;
  }

  private static Path readable(Map<String, String> v, String name) throws UsageException {
    Path file = Path.of(required(v, name));
    if (!Files.isRegularFile(file) || !Files.isReadable(file))
      throw new UsageException("--" + name + " " + file + " is not a readable file");
    return file;
  }

  private static long count(String value) throws UsageException {
    if (value == null) return 0;
    try {
      long n = Long.parseLong(value);
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--max-events takes a whole number of records, 0 or more, not '" + value + "'");
  }
}
