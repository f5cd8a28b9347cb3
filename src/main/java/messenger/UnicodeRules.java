package messenger;

/**
 * What text clients may send, decided once for every edge. Refused everywhere: unpaired UTF-16
 * surrogates (a JSON {@code "\ud800"} escape parses into one; such text is not Unicode, cannot be
 * encoded as UTF-8 or CBOR, and would fail the journal write of every message batched with it) and
 * NUL (many clients end a string there, hiding what follows). Refused in names and titles, which
 * others see in lists: the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069),
 * with which a name can show as something it is not. Allowed on purpose: everything else, including
 * right-to-left text, emoji sequences and long runs of combining marks, which the size limit
 * bounds.
 */
public final class UnicodeRules {

  private UnicodeRules() {}

  /** Why {@code text} may not be sent, or null if it may. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) return "text must not contain NUL (U+0000)";
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "text must be valid Unicode (an unpaired surrogate at index " + i + ")";
      }
      if (Character.isLowSurrogate(c)) {
        return "text must be valid Unicode (an unpaired surrogate at index " + i + ")";
      }
    }
    return null;
  }

  /** As {@link #problem}, and also no bidirectional controls: for names and titles. */
  public static String nameProblem(String text) {
    String problem = problem(text);
    if (problem != null) return problem;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
        return "names and titles must not contain bidirectional control characters";
      }
    }
    return null;
  }
}
