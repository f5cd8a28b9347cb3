package messenger.auth;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@code messenger.auth} config block, plus the node's {@code messenger.data-dir} (where a
 * generated token key is kept when no secret is configured).
 *
 * @param jwtSecret HMAC secret for tokens; empty means "generate and keep one in the data dir"
 * @param previousSecrets secrets that signed tokens before the current one: still accepted, never
 *     used to sign, so a key can be rotated without logging everybody out
 */
public record AuthSettings(
    String jwtSecret,
    List<String> previousSecrets,
    String issuer,
    String audience,
    Duration tokenTtl,
    Path dataDir) {

  public AuthSettings {
    Objects.requireNonNull(jwtSecret, "jwtSecret");
    previousSecrets = List.copyOf(previousSecrets);
    requireNonBlank(issuer, "messenger.auth.issuer");
    requireNonBlank(audience, "messenger.auth.audience");
    Objects.requireNonNull(dataDir, "dataDir");
    if (tokenTtl == null || tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("messenger.auth.token-ttl must be positive: " + tokenTtl);
    }
  }

  public AuthSettings(
      String jwtSecret, String issuer, String audience, Duration tokenTtl, Path dataDir) {
    this(jwtSecret, List.of(), issuer, audience, tokenTtl, dataDir);
  }

  public static AuthSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }

  /** Reads {@code messenger.auth} and {@code messenger.data-dir} from the root config. */
  public static AuthSettings create(Config root) {
    Config auth = root.getConfig("messenger.auth");
    return new AuthSettings(
        auth.getString("jwt-secret"),
        // A comma-separated string, so that one environment variable can carry the list.
        Arrays.stream(auth.getString("jwt-previous-secrets").split(","))
            .map(String::strip)
            .filter(secret -> !secret.isEmpty())
            .toList(),
        auth.getString("issuer"),
        auth.getString("audience"),
        auth.getDuration("token-ttl"),
        Path.of(root.getString("messenger.data-dir")));
  }

  /** Keeps the secret out of logs. */
  @Override
  public String toString() {
    return "AuthSettings[jwtSecret="
        + (jwtSecret.isEmpty() ? "<generated>" : "<set>")
        + ", previousSecrets="
        + previousSecrets.size()
        + ", issuer="
        + issuer
        + ", audience="
        + audience
        + ", tokenTtl="
        + tokenTtl
        + ", dataDir="
        + dataDir
        + "]";
  }

  private static void requireNonBlank(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
