package com.paystream.consumer;

import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result events shaped like the worker's, with unicode, nesting, integers and encrypted fields. */
final class Events {
  private Events() {}

  static Map<String, Object> payment(TestKeys keys, String id) throws GeneralSecurityException {
    Map<String, Object> customer = new LinkedHashMap<>();
    customer.put("phone", keys.encrypt("customer.phone", "+6281234567890"));
    customer.put("lastName", keys.encrypt("customer.lastName", "\u00d1urhaliza \u65e5\u672c \ud83d\ude00"));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("orderId", "order-\u00e9-1");
    data.put("amount", Map.of("value", new BigDecimal("10000"), "currency", "IDR"));
    data.put("status", "succeeded");
    data.put("midtrans", Map.of("transactionId", "t-1", "responseCode", "200"));
    data.put("customerAuthentication", Map.of("description", "3-D Secure", "factors", List.of("otp")));
    data.put("customer", customer);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", "paystream/worker");
    event.put("type", "paystream.payment.succeeded");
    event.put("time", "2025-01-02T03:04:05.678Z");
    event.put("datacontenttype", "application/json");
    event.put("data", data);
    return keys.sign(event);
  }
}
