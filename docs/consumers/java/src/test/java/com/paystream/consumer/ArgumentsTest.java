package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentsTest {
  @TempDir Path dir;

  private String trust() throws Exception {
    return Files.writeString(dir.resolve("trust.json"), "{}").toString();
  }

  @Test
  void readsTheCommonArguments() throws Exception {
    Arguments a = Arguments.parse(new String[] {
      "--brokers", "127.0.0.1:19092,localhost:19093", "--topic", "paystream.results", "--group", "g",
      "--trust", trust(), "--max-events=12"});
    assertEquals("127.0.0.1:19092,localhost:19093", a.brokers);
    assertEquals(12, a.maxEvents);
    assertNull(a.tlsCa);
    assertEquals(0, Arguments.parse(new String[] {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust()}).maxEvents);
  }

  @Test
  void refusesBadArguments() throws Exception {
    String trust = trust();
    String[][] bad = {
      {"--topic", "t", "--group", "g", "--trust", trust},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", dir.resolve("missing.json").toString()},
      {"--brokers", "h", "--topic", "t", "--group", "g", "--trust", trust},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust, "--max-events", "-1"},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust, "--max-events", "many"},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust, "--verbose"},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust, "--sasl-username", "u"},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust", trust, "--sasl-username", "u", "--sasl-password-file", trust},
      {"--brokers", "h:1", "--topic", "t", "--group", "g", "--trust"},
      {"--brokers", "h:1", "--brokers", "h:2", "--topic", "t", "--group", "g", "--trust", trust},
    };
    for (String[] args : bad) assertThrows(Arguments.UsageException.class, () -> Arguments.parse(args), String.join(" ", args));
  }
}
