package messenger.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Hashes and checks passwords with Argon2id at the OWASP minimum (19 MiB, 2 iterations, 1 lane).
 *
 * <p>Every method is deliberately slow (tens of milliseconds of CPU): call them on a dedicated
 * executor, never on an actor or route thread. {@link Accounts} does this for the edge.
 */
public final class PasswordHasher {
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  static final int PARALLELISM = 1;
  static final int MEMORY_KIB = 19_456;
  static final int ITERATIONS = 2;

  private final Argon2PasswordEncoder encoder;
  // Same parameters as real hashes, so checking against it costs what a real check costs.
  private final String dummyHash;

  public PasswordHasher() {
    this.encoder =
        new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, PARALLELISM, MEMORY_KIB, ITERATIONS);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.dummyHash = encoder.encode(Base64.getEncoder().encodeToString(random));
  }

  /** An encoded Argon2id hash ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). */
  public String hash(String password) {
    Objects.requireNonNull(password, "password");
    return encoder.encode(password);
  }

  /** Whether {@code password} matches {@code encoded}; false for a malformed hash. */
  public boolean matches(String password, String encoded) {
    // Anything but an Argon2 hash is refused here: the encoder would log a stack trace for it.
    if (password == null || encoded == null || !encoded.startsWith("$argon2")) return false;
    return encoder.matches(password, encoded);
  }

  /**
   * Spends the time of a real {@link #matches} against a dummy hash and returns false: a login for
   * an unknown username must cost the same as a wrong password, or timing reveals which usernames
   * exist.
   */
  public boolean matchesNothing(String password) {
    encoder.matches(password == null ? "" : password, dummyHash);
    return false;
  }
}
