package messenger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Client-supplied values cannot break an audit line into two or fake a field. */
class AuditTest {

  @Test
  void plainValuesStandAsTheyAre() {
    assertEquals("alice-1.b_c", Audit.quoted("alice-1.b_c"));
    assertEquals("[::1]", Audit.quoted("[::1]"));
    assertEquals("https://chat.example.com:8443", Audit.quoted("https://chat.example.com:8443"));
  }

  @Test
  void anythingElseIsQuotedWithEscapes() {
    assertEquals("\"a b\"", Audit.quoted("a b"));
    assertEquals("\"x\\nevent=forged\"", Audit.quoted("x\nevent=forged"));
    assertEquals("\"say \\\"hi\\\" \\\\o/\"", Audit.quoted("say \"hi\" \\o/"));
    assertEquals(
        "\"\\u202eevil\"", Audit.quoted("\u202eevil"), "a bidi override cannot flip the line");
    assertEquals("\"\\u0000\\u2028\"", Audit.quoted("\u0000\u2028"));
  }
}
