package messenger.auth;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.ErrorDetail;
import messenger.ErrorDetail.Rule;
import messenger.UnicodeRules;
import messenger.audit.Audit;
import messenger.limits.LoginThrottle;

/**
 * Registration and login, for the edge to call; the edge only maps results and exceptions to
 * responses.
 *
 * <p>Returned stages fail with a {@link DomainException} ({@code BAD_REQUEST}, {@code
 * USERNAME_TAKEN}, {@code UNAUTHORIZED}) for refusals and with the original {@link
 * java.util.concurrent.TimeoutException} when an actor did not answer in time; neither is wrapped
 * in a {@link CompletionException}. Password hashing runs on {@link PasswordHashing}'s threads,
 * never on the caller's, and is refused with {@code RATE_LIMITED} when they are busy.
 */
public final class Accounts {
  public static final int USERNAME_MIN = 3;
  public static final int USERNAME_MAX = 32;
  public static final int PASSWORD_MIN = 8;
  public static final int PASSWORD_MAX = 1024;
  public static final int DISPLAY_NAME_MAX = 64;

  private static final Pattern USERNAME_CHARS = Pattern.compile("[a-z0-9_.-]+");
  private static final TimeBasedEpochGenerator USER_IDS = Generators.timeBasedEpochGenerator();

  /** A new account: its user id (a UUIDv7 string) and username. */
  public record Registered(String userId, String username) {}

  private final ClusterSharding sharding;
  private final PasswordHashing hashing;
  private final TokenIssuer tokens;
  private final UserCreator userCreator;
  private final Duration askTimeout;

  private final LoginThrottle throttle;

  public Accounts(
      ActorSystem<?> system,
      PasswordHashing hashing,
      TokenIssuer tokens,
      UserCreator userCreator,
      Duration askTimeout,
      LoginThrottle throttle) {
    this.throttle = Objects.requireNonNull(throttle, "throttle");
    this.sharding = ClusterSharding.get(system);
    this.hashing = Objects.requireNonNull(hashing, "hashing");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.userCreator = Objects.requireNonNull(userCreator, "userCreator");
    this.askTimeout = Objects.requireNonNull(askTimeout, "askTimeout");
  }

  /**
   * Creates an account and its user. {@code displayName} may be null or blank (then it is the
   * username). Fails with {@code BAD_REQUEST} for invalid input and {@code USERNAME_TAKEN} if the
   * username belongs to someone, in which case no user is created.
   */
  public CompletionStage<Registered> register(
      String username, String password, String displayName) {
    String name;
    try {
      requireValidUsername(username);
      requireValidPassword(password);
      name = normalizeDisplayName(displayName, username);
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
    EntityRef<Account.Command> account = sharding.entityRefFor(Account.ENTITY_KEY, username);
    CompletionStage<Registered> flow =
        account
            .ask(Account.GetAccount::new, askTimeout)
            // Checked before hashing so a taken name costs no hash and creates nothing.
            .thenCompose(
                view ->
                    view.registered() || view.closed()
                        ? CompletableFuture.<String>failedFuture(usernameTaken())
                        : hashing.hash(password))
            .thenCompose(
                hash -> {
                  String userId = newUserId();
                  // User first, then account: a crash in between leaves an orphan user nobody
                  // can log in as (a retry gets a new user id), never an account without its
                  // user. Login calls the idempotent create again for the same reason.
                  return userCreator
                      .create(userId, username, name)
                      .thenCompose(
                          created ->
                              account.<Done>askWithStatus(
                                  replyTo -> new Account.Register(userId, hash, name, replyTo),
                                  askTimeout))
                      .thenApply(done -> new Registered(userId, username));
                });
    return surfaced(flow);
  }

  /**
   * Checks the password and issues a token. A wrong password and an unknown username fail alike,
   * with {@code UNAUTHORIZED} "invalid username or password", after the same hashing work.
   */
  /**
   * As {@link #login(String, String)}, from a client at {@code address} (null if unknown): refused
   * with {@code RATE_LIMITED}, before any password is checked, while the throttle says to wait, and
   * every refusal for bad credentials counts against the name and the address.
   */
  public CompletionStage<TokenService.IssuedToken> login(
      String username, String password, String address) {
    // Names that cannot exist share one bucket, so junk names cannot fill memory.
    String name = isValidUsername(username) ? username : "";
    Duration wait = throttle.waitBeforeTrying(name, address);
    if (!wait.isZero()) {
      Audit.loginThrottled(username, address);
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.RATE_LIMITED, ErrorDetail.atMost(Rule.LOGIN_THROTTLED, null, seconds)));
    }
    CompletableFuture<TokenService.IssuedToken> result = new CompletableFuture<>();
    login(username, password)
        .whenComplete(
            (token, failure) -> {
              if (failure == null) {
                result.complete(token);
                return;
              }
              if (failure instanceof DomainException refused
                  && refused.code() == ErrorCode.UNAUTHORIZED) {
                throttle.failed(name, address);
                Audit.loginFailed(username, address);
              }
              if (failure instanceof DomainException refused
                  && refused.code() == ErrorCode.SUSPENDED) {
                Audit.loginSuspended(username, address);
              }
              result.completeExceptionally(failure);
            });
    return result;
  }

  public CompletionStage<TokenService.IssuedToken> login(String username, String password) {
    if (username == null || password == null) {
      return CompletableFuture.failedFuture(
          DomainException.of(
              ErrorCode.BAD_REQUEST, Rule.REQUIRED, username == null ? "username" : "password"));
    }
    if (password.length() > PASSWORD_MAX * 2
        || password.codePointCount(0, password.length()) > PASSWORD_MAX) {
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.BAD_REQUEST,
              ErrorDetail.atMost(Rule.AT_MOST_CHARS, "password", PASSWORD_MAX)));
    }
    if (!isValidUsername(username)) {
      // No such account can exist; answer like any unknown username.
      return surfaced(rejectAfter(hashing.matchesNothing(password)));
    }
    EntityRef<Account.Command> account = sharding.entityRefFor(Account.ENTITY_KEY, username);
    CompletionStage<TokenService.IssuedToken> flow =
        account
            .ask(Account.GetAccount::new, askTimeout)
            .thenCompose(
                view -> {
                  if (!view.registered()) {
                    return rejectAfter(hashing.matchesNothing(password));
                  }
                  return hashing
                      .matches(password, view.passwordHash())
                      .thenCompose(
                          ok ->
                              ok
                                  ? userCreator
                                      .create(view.userId(), username, view.displayName())
                                      .thenCompose(created -> tokens.issue(view.userId()))
                                  : CompletableFuture.failedFuture(invalidCredentials()));
                });
    return surfaced(flow);
  }

  /**
   * Replaces the password of {@code username}, which must belong to {@code userId}, if {@code
   * current} is its password; from a client at {@code address} (null if unknown). A retry after the
   * change went through is recognised by {@code next} being the password already, and succeeds
   * again. Fails with {@code BAD_REQUEST} for a new password that breaks the rules, {@code
   * WRONG_PASSWORD} otherwise (throttled and audited like a failed login), {@code RATE_LIMITED}
   * while the throttle says to wait. Logging the other devices out is the caller's.
   */
  public CompletionStage<Done> changePassword(
      String username, String userId, String current, String next, String address) {
    try {
      requireValidPassword(next);
    } catch (DomainException e) {
      return CompletableFuture.failedFuture(e);
    }
    EntityRef<Account.Command> account = sharding.entityRefFor(Account.ENTITY_KEY, username);
    CompletionStage<Done> flow =
        checked(username, userId, "currentPassword", current, next, address)
            .thenCompose(ok -> hashing.hash(next))
            .thenCompose(
                hash ->
                    account.askWithStatus(
                        replyTo -> new Account.ChangePassword(userId, hash, replyTo), askTimeout));
    return surfaced(flow);
  }

  /**
   * Completes if {@code password} is the password of {@code username}, which must belong to {@code
   * userId}; fails like {@link #changePassword} does for a wrong current password (throttled and
   * audited), with {@code NOT_FOUND} for an account that is not the user's.
   */
  public CompletionStage<Done> verifyPassword(
      String username, String userId, String password, String address) {
    return surfaced(checked(username, userId, "password", password, null, address));
  }

  /**
   * Whether {@code given} (or else {@code alsoAccepted}, if not null: a retry's new password) is
   * the account's password, after the throttle; fails with {@code WRONG_PASSWORD} if neither is.
   */
  private CompletionStage<Done> checked(
      String username,
      String userId,
      String field,
      String given,
      String alsoAccepted,
      String address) {
    if (given == null) {
      return CompletableFuture.failedFuture(badRequest(ErrorDetail.of(Rule.REQUIRED, field)));
    }
    if (given.length() > PASSWORD_MAX * 2) {
      return CompletableFuture.failedFuture(
          badRequest(ErrorDetail.atMost(Rule.AT_MOST_CHARS, field, PASSWORD_MAX)));
    }
    Duration wait = throttle.waitBeforeTrying(username, address);
    if (!wait.isZero()) {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      return CompletableFuture.failedFuture(
          new DomainException(
              ErrorCode.RATE_LIMITED, ErrorDetail.atMost(Rule.LOGIN_THROTTLED, null, seconds)));
    }
    return sharding
        .entityRefFor(Account.ENTITY_KEY, username)
        .ask(Account.GetAccount::new, askTimeout)
        .thenCompose(
            view -> {
              if (!view.registered() || !userId.equals(view.userId())) {
                return CompletableFuture.<Boolean>failedFuture(
                    new DomainException(ErrorCode.NOT_FOUND));
              }
              return hashing
                  .matches(given, view.passwordHash())
                  .thenCompose(
                      ok ->
                          ok || alsoAccepted == null
                              ? CompletableFuture.completedFuture(ok)
                              : hashing.matches(alsoAccepted, view.passwordHash()));
            })
        .thenCompose(
            known -> {
              if (!known) {
                throttle.failed(username, address);
                Audit.passwordCheckFailed(username, address, field);
                return CompletableFuture.<Done>failedFuture(
                    new DomainException(ErrorCode.WRONG_PASSWORD));
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  /**
   * A display name as stored: stripped, 1-64 characters without control characters; {@code
   * fallback} if it is null or blank. Throws {@code BAD_REQUEST} otherwise.
   */
  public static String validDisplayName(String displayName, String fallback) {
    return normalizeDisplayName(displayName, fallback);
  }

  /** Whether {@code username} is a well-formed username (3-32 of {@code [a-z0-9_.-]}). */
  public static boolean isValidUsername(String username) {
    return username != null
        && username.length() >= USERNAME_MIN
        && username.length() <= USERNAME_MAX
        && USERNAME_CHARS.matcher(username).matches();
  }

  // --- validation ---

  private static void requireValidUsername(String username) {
    if (username == null || username.isEmpty()) {
      throw badRequest(ErrorDetail.of(Rule.REQUIRED, "username"));
    }
    if (username.length() < USERNAME_MIN || username.length() > USERNAME_MAX) {
      throw badRequest(ErrorDetail.between(Rule.LENGTH, "username", USERNAME_MIN, USERNAME_MAX));
    }
    if (!username.equals(username.toLowerCase(java.util.Locale.ROOT))) {
      throw badRequest(ErrorDetail.of(Rule.LOWERCASE, "username"));
    }
    if (!USERNAME_CHARS.matcher(username).matches()) {
      throw badRequest(ErrorDetail.of(Rule.USERNAME_CHARS, "username"));
    }
  }

  static void requireValidPassword(String password) {
    if (password == null || password.isEmpty()) {
      throw badRequest(ErrorDetail.of(Rule.REQUIRED, "password"));
    }
    int length = password.codePointCount(0, password.length());
    if (length < PASSWORD_MIN) {
      throw badRequest(new ErrorDetail(Rule.AT_LEAST_CHARS, "password", PASSWORD_MIN, 0));
    }
    if (length > PASSWORD_MAX) {
      throw badRequest(ErrorDetail.atMost(Rule.AT_MOST_CHARS, "password", PASSWORD_MAX));
    }
  }

  private static String normalizeDisplayName(String displayName, String username) {
    if (displayName == null || displayName.isBlank()) {
      return username;
    }
    String trimmed = displayName.strip();
    String problem = UnicodeRules.nameProblem(trimmed);
    if (problem != null) throw badRequest(ErrorDetail.of(Rule.TEXT_RULE, problem));
    if (trimmed.codePointCount(0, trimmed.length()) > DISPLAY_NAME_MAX) {
      throw badRequest(ErrorDetail.atMost(Rule.AT_MOST_CHARS, "displayName", DISPLAY_NAME_MAX));
    }
    boolean hasControl =
        trimmed
            .codePoints()
            .anyMatch(
                cp -> {
                  int type = Character.getType(cp);
                  return type == Character.CONTROL
                      || type == Character.LINE_SEPARATOR
                      || type == Character.PARAGRAPH_SEPARATOR
                      || type == Character.SURROGATE;
                });
    if (hasControl) {
      throw badRequest(ErrorDetail.of(Rule.NO_CONTROL_CHARS, "displayName"));
    }
    return trimmed;
  }

  // --- plumbing ---

  static String newUserId() {
    return USER_IDS.generate().toString();
  }

  private static <T> CompletionStage<T> rejectAfter(CompletionStage<?> work) {
    return work.thenCompose(ignored -> CompletableFuture.<T>failedFuture(invalidCredentials()));
  }

  /**
   * Completes with the flow's result, or fails with its root cause: not wrapped in a
   * CompletionException, and with an actor's StatusReply error turned into a DomainException.
   */
  static <T> CompletionStage<T> surfaced(CompletionStage<T> flow) {
    CompletableFuture<T> result = new CompletableFuture<>();
    flow.whenComplete(
        (value, error) -> {
          if (error == null) result.complete(value);
          else result.completeExceptionally(rootCause(error));
        });
    return result;
  }

  private static Throwable rootCause(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof StatusReply.ErrorMessage refusal) {
      ErrorCode code = ErrorCode.fromWire(refusal.getMessage());
      return code == ErrorCode.USERNAME_TAKEN ? usernameTaken() : new DomainException(code);
    }
    return t;
  }

  private static DomainException badRequest(ErrorDetail detail) {
    return new DomainException(ErrorCode.BAD_REQUEST, detail);
  }

  private static DomainException usernameTaken() {
    return new DomainException(ErrorCode.USERNAME_TAKEN);
  }

  private static DomainException invalidCredentials() {
    return DomainException.of(ErrorCode.UNAUTHORIZED, Rule.INVALID_CREDENTIALS);
  }
}
