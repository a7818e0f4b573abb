package com.paystream.consumer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the results topic from the group's committed offsets (the earliest for a new group), hands
 * each record to the {@link EventHandler}, prints its line, and only then commits the offset after it.
 */
public final class ResultsConsumer {
  private static final Duration POLL = Duration.ofMillis(500);

  private final Arguments args;
  private final EventHandler handler;
  private final PrintStream out;
  private volatile boolean stopping;
  /** What the process exits with when a signal stopped it: 0 once consuming ended cleanly. */
  private volatile int stoppedStatus = 1;
  /** The open client, for the shutdown hook to wake. */
  private KafkaConsumer<byte[], byte[]> consumer;
  private long read;
  private long handedOn;
  private long refused;

  public ResultsConsumer(Arguments args, EventHandler handler, PrintStream out) {
    this.args = args;
    this.handler = handler;
    this.out = out;
  }

  /** The Kafka consumer settings: no auto-commit, and TLS / SASL/SCRAM-SHA-512 when asked for. */
  static Properties properties(Arguments a) throws IOException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.brokers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, a.group);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "paystream-results-consumer");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (a.tlsCa != null) {
      p.put("security.protocol", a.saslUsername != null ? "SASL_SSL" : "SSL");
      p.put("ssl.truststore.type", "PEM");
      p.put("ssl.truststore.location", a.tlsCa.toAbsolutePath().toString());
    }
    if (a.saslUsername != null) {
      String password = Files.readString(a.saslPasswordFile, StandardCharsets.UTF_8).trim();
      p.put("sasl.mechanism", "SCRAM-SHA-512");
      p.put(
          "sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
              + jaasQuoted(a.saslUsername)
              + "\" password=\""
              + jaasQuoted(password)
              + "\";");
    }
    return p;
  }

  private static String jaasQuoted(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /**
   * Consumes until {@code --max-events} records were read, or until the process is stopped (SIGTERM,
   * Ctrl-C): then it stops between two records, leaves the group and exits 0.
   */
  public void run() throws IOException {
    CountDownLatch finished = new CountDownLatch(1);
    Thread stop = new Thread(() -> {
      stopping = true;
      synchronized (this) {
        if (consumer != null) consumer.wakeup();
      }
      try {
        if (finished.await(30, TimeUnit.SECONDS)) Runtime.getRuntime().halt(stoppedStatus);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      consume();
      stoppedStatus = 0;
    } finally {
      System.err.printf(
          "paystream-results-consumer: %d records read: %d handed on, %d duplicates, %d refused%n",
          read, handedOn, read - handedOn - refused, refused);
      out.flush();
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // stopped by a signal: the hook waits for the latch below
      }
      finished.countDown();
    }
  }

  private void consume() throws IOException {
    try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(properties(args))) {
      synchronized (this) {
        consumer = kafka;
      }
      if (stopping) return;
      kafka.subscribe(List.of(args.topic));
      loop(kafka);
    } catch (WakeupException stopped) {
      // stopped between records: everything printed was committed
    } finally {
      synchronized (this) {
        consumer = null;
      }
    }
  }

  private boolean done() {
    return stopping || (args.maxEvents > 0 && read >= args.maxEvents);
  }

  private void loop(KafkaConsumer<byte[], byte[]> kafka) {
    while (!done()) {
      for (ConsumerRecord<byte[], byte[]> record : kafka.poll(POLL)) {
        Map<String, Object> line = handler.handle(record.partition(), record.offset(), record.key(), record.value());
        out.println(CanonicalJson.compact(line));
        out.flush();
        commit(kafka, record);
        read++;
        if (EventHandler.handOn(line)) handedOn++;
        else if (!Boolean.TRUE.equals(line.get("valid"))) refused++;
        if (done()) return;
      }
    }
  }

  /** Commits the offset after a handled record; a stop request during the commit waits for it. */
  private void commit(KafkaConsumer<byte[], byte[]> kafka, ConsumerRecord<byte[], byte[]> record) {
    Map<TopicPartition, OffsetAndMetadata> next =
        Map.of(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
    try {
      kafka.commitSync(next);
    } catch (WakeupException stopRequested) {
      stopping = true;
      kafka.commitSync(next);
    }
  }
}
