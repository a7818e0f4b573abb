package com.paystream.consumer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * ECMAScript's {@code Number.prototype.toString()} for a double: the shortest decimal digits that
 * read back as the same double (the closest of them to its exact value), written without an exponent
 * for decimal exponents from -7 to 20 and as {@code 1e+21} / {@code 1.5e-7} beyond. JDK 17's
 * {@code Double.toString} sometimes prints more digits than needed, so the digits are searched here.
 */
public final class EcmaNumber {
  /** 2^53: below it every integral double prints as its integer digits. */
  private static final double EXACT_INTEGERS = 9007199254740992.0;

  private EcmaNumber() {}

  public static String toString(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d))
      throw new IllegalArgumentException("canonical JSON has no representation for NaN or Infinity");
    if (d == 0) return "0"; // -0 as well
    if (d < 0) return "-" + toString(-d);
    if (d < EXACT_INTEGERS && d == Math.rint(d)) return Long.toString((long) d);
    return format(shortest(d));
  }

  /**
   * The fewest significant digits that round-trip. The rounding interval of a double is not
   * symmetric at a power of two, so both the candidate below and the one above are tried.
   */
  static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = Double.parseDouble(down.toString()) == d;
      boolean upOk = Double.parseDouble(up.toString()) == d;
      if (downOk && upOk) {
        int closer = exact.subtract(down).compareTo(up.subtract(exact));
        if (closer < 0) return down;
        if (closer > 0) return up;
        return down.unscaledValue().testBit(0) ? up : down;
      }
      if (downOk) return down;
      if (upOk) return up;
    }
    // 17 significant digits always identify a double.
    throw new AssertionError("no round-trip digits for " + d);
  }

  /** Number::toString's layout of digits s (k of them) with decimal point position n. */
  static String format(BigDecimal value) {
    BigDecimal v = value.stripTrailingZeros();
    String s = v.unscaledValue().toString();
    int k = s.length();
    int n = k - v.scale();
    if (k <= n && n <= 21) return s + "0".repeat(n - k);
    if (0 < n && n <= 21) return s.substring(0, n) + "." + s.substring(n);
    if (-6 < n && n <= 0) return "0." + "0".repeat(-n) + s;
    int e = n - 1;
    String exponent = "e" + (e < 0 ? "-" : "+") + Math.abs(e);
    if (k == 1) return s + exponent;
    return s.charAt(0) + "." + s.substring(1) + exponent;
  }
}
