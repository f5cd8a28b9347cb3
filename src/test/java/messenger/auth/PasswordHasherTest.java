package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private static PasswordHasher hasher;

  @BeforeAll
  static void setUp() {
    hasher = new PasswordHasher();
  }

  @Test
  void aHashVerifiesItsPassword() {
    String hash = hasher.hash("correct horse battery staple");
    assertTrue(hasher.matches("correct horse battery staple", hash));
  }

  @Test
  void aWrongPasswordDoesNotVerify() {
    String hash = hasher.hash("correct horse battery staple");
    assertFalse(hasher.matches("correct horse battery stapler", hash));
    assertFalse(hasher.matches("", hash));
  }

  @Test
  void twoHashesOfTheSamePasswordDifferBecauseOfTheSalt() {
    String first = hasher.hash("same password");
    String second = hasher.hash("same password");
    assertNotEquals(first, second);
    assertTrue(hasher.matches("same password", first));
    assertTrue(hasher.matches("same password", second));
  }

  @Test
  void theHashIsArgon2idWithTheOwaspMinimumParameters() {
    String hash = hasher.hash("some password");
    assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
  }

  @Test
  void aMalformedHashMatchesNothing() {
    assertFalse(hasher.matches("some password", "not-a-hash"));
    assertFalse(hasher.matches("some password", ""));
    assertFalse(hasher.matches("some password", null));
  }

  @Test
  void matchesNothingIsAlwaysFalse() {
    assertFalse(hasher.matchesNothing("any password"));
    assertFalse(hasher.matchesNothing(""));
  }
}
