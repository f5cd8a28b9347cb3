package messenger.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.SelfUp;
import akka.cluster.typed.Subscribe;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.api.ErrorText;
import messenger.limits.LoginThrottle;
import messenger.testing.Polling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountsTest {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final LoginThrottle LOOSE_THROTTLE =
      new LoginThrottle(
          new LoginThrottle.Settings(1000, Duration.ofMinutes(1), 1000, Duration.ofMinutes(1)));

  private static ActorTestKit testKit;
  private static PasswordHashing hashing;
  private static TokenService tokens;
  private static RecordingUserCreator creator;
  private static Accounts accounts;

  /** Records each call and succeeds, like the real (idempotent) creator. */
  static final class RecordingUserCreator implements UserCreator {
    record Call(String userId, String username, String displayName) {}

    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    @Override
    public CompletionStage<Done> create(String userId, String username, String displayName) {
      calls.add(new Call(userId, username, displayName));
      return CompletableFuture.completedFuture(Done.getInstance());
    }

    List<Call> callsFor(String username) {
      return calls.stream().filter(c -> c.username().equals(username)).toList();
    }
  }

  @BeforeAll
  static void startCluster() {
    Config config =
        ConfigFactory.parseString(
                """
                akka.actor.provider = cluster
                akka.remote.artery.canonical.hostname = "127.0.0.1"
                akka.remote.artery.canonical.port = 0
                akka.cluster.jmx.multi-mbeans-in-same-jvm = on
                akka.actor.serialization-bindings {"messenger.CborSerializable" = jackson-cbor}
                """)
            .withFallback(PersistenceTestKitPlugin.getInstance().config())
            .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config());
    testKit = ActorTestKit.create("AccountsTest", config);
    ActorSystem<?> system = testKit.system();

    Cluster cluster = Cluster.get(system);
    TestProbe<SelfUp> up = testKit.createTestProbe();
    cluster.subscriptions().tell(Subscribe.create(up.getRef(), SelfUp.class));
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    up.expectMessageClass(SelfUp.class, Duration.ofSeconds(20));
    Account.init(system);

    hashing = new PasswordHashing(new PasswordHasher(), new PasswordHashing.Settings(2, 64));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    tokens =
        new TokenService(
            key,
            new AuthSettings(
                "", "messenger", "messenger-clients", Duration.ofHours(1), Path.of("unused")));
    creator = new RecordingUserCreator();
    accounts = accountsWith(creator);
  }

  @AfterAll
  static void stopCluster() {
    testKit.shutdownTestKit();
    hashing.close();
  }

  private static Accounts accountsWith(UserCreator userCreator) {
    return new Accounts(
        testKit.system(),
        hashing,
        TokenIssuer.firstGeneration(tokens),
        userCreator,
        ASK_TIMEOUT,
        LOOSE_THROTTLE);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What a caller's handle/whenComplete sees: the exception itself, not a CompletionException. */
  private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
    Throwable failure =
        stage.handle((value, error) -> error).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertNotNull(failure, "expected the stage to fail");
    return failure;
  }

  private static DomainException domainFailureOf(CompletionStage<?> stage) throws Exception {
    return assertInstanceOf(DomainException.class, failureOf(stage));
  }

  @Test
  void registerThenLoginGivesATokenThatVerifiesToTheSameUser() throws Exception {
    Accounts.Registered registered = await(accounts.register("alice", "password-alice", "Alice"));

    assertEquals("alice", registered.username());
    assertEquals(7, UUID.fromString(registered.userId()).version(), "user ids are UUIDv7");

    TokenService.IssuedToken token = await(accounts.login("alice", "password-alice"));
    assertEquals(registered.userId(), token.userId());
    assertEquals(Optional.of(registered.userId()), tokens.verify(token.token()));

    // Created at registration, and again (idempotently) at login to repair a half-done one.
    assertEquals(
        List.of(
            new RecordingUserCreator.Call(registered.userId(), "alice", "Alice"),
            new RecordingUserCreator.Call(registered.userId(), "alice", "Alice")),
        creator.callsFor("alice"));
  }

  @Test
  void aTakenUsernameIsRefusedWithoutCreatingAnotherUser() throws Exception {
    await(accounts.register("bob", "password-bob", "Bob"));

    DomainException refused =
        domainFailureOf(accounts.register("bob", "another-password", "Robert"));

    assertEquals(ErrorCode.USERNAME_TAKEN, refused.code());
    assertEquals(1, creator.callsFor("bob").size());
  }

  @Test
  void afterTooManyFailuresForANameEvenTheRightPasswordIsRefusedUntilTheWindowRefills()
      throws Exception {
    Accounts throttled =
        new Accounts(
            testKit.system(),
            hashing,
            TokenIssuer.firstGeneration(tokens),
            creator,
            ASK_TIMEOUT,
            new LoginThrottle(
                new LoginThrottle.Settings(3, Duration.ofHours(1), 100, Duration.ofHours(1))));
    await(throttled.register("dora", "password-dora", null));

    for (int i = 0; i < 3; i++) {
      assertEquals(
          ErrorCode.UNAUTHORIZED,
          domainFailureOf(throttled.login("dora", "guess-" + i, "10.0.0.1")).code());
    }
    DomainException locked = domainFailureOf(throttled.login("dora", "password-dora", "10.0.0.2"));
    assertEquals(ErrorCode.RATE_LIMITED, locked.code());
    assertTrue(
        ErrorText.of(locked).startsWith("too many failed logins; try again in "),
        ErrorText.of(locked));
    // Unknown names are throttled the same way, so the refusal says nothing about who exists.
    for (int i = 0; i < 3; i++)
      throttled.login("nobody-here", "guess", "10.0.0.3").handle((t, e) -> e);
    Polling.until(
        Duration.ofSeconds(30),
        () -> {
          try {
            return domainFailureOf(throttled.login("nobody-here", "guess", "10.0.0.4")).code()
                == ErrorCode.RATE_LIMITED;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        "the unknown name is throttled too");
    // Another name from a clean address is untouched.
    await(throttled.register("eddie", "password-eddie", null));
    await(throttled.login("eddie", "password-eddie", "10.0.0.5"));
  }

  @Test
  void afterTooManyFailuresFromAnAddressEveryLoginFromItIsRefused() throws Exception {
    Accounts throttled =
        new Accounts(
            testKit.system(),
            hashing,
            TokenIssuer.firstGeneration(tokens),
            creator,
            ASK_TIMEOUT,
            new LoginThrottle(
                new LoginThrottle.Settings(100, Duration.ofHours(1), 4, Duration.ofHours(1))));
    await(throttled.register("fern", "password-fern", null));

    for (int i = 0; i < 4; i++) {
      domainFailureOf(throttled.login("spray-" + i, "guess", "10.9.9.9"));
    }
    assertEquals(
        ErrorCode.RATE_LIMITED,
        domainFailureOf(throttled.login("fern", "password-fern", "10.9.9.9")).code());
    await(throttled.login("fern", "password-fern", "10.9.9.10"));
  }

  @Test
  void aPasswordChangeNeedsTheCurrentPasswordAndOnlyTheNewOneLogsInAfter() throws Exception {
    var gina = await(accounts.register("gina", "password-gina", null));

    DomainException wrong =
        domainFailureOf(
            accounts.changePassword("gina", gina.userId(), "not-hers", "new-password", null));
    assertEquals(ErrorCode.WRONG_PASSWORD, wrong.code());
    await(accounts.login("gina", "password-gina"));

    await(accounts.changePassword("gina", gina.userId(), "password-gina", "new-password", null));

    assertEquals(
        ErrorCode.UNAUTHORIZED, domainFailureOf(accounts.login("gina", "password-gina")).code());
    await(accounts.login("gina", "new-password"));
    // A retry of the change that went through is known by its new password, and succeeds.
    await(accounts.changePassword("gina", gina.userId(), "password-gina", "new-password", null));
  }

  @Test
  void aPasswordChangeRefusesAWeakNewPasswordAndSomeoneElsesAccount() throws Exception {
    var hana = await(accounts.register("hana", "password-hana", null));

    assertEquals(
        ErrorCode.BAD_REQUEST,
        domainFailureOf(
                accounts.changePassword("hana", hana.userId(), "password-hana", "short", null))
            .code());
    assertEquals(
        ErrorCode.NOT_FOUND,
        domainFailureOf(
                accounts.changePassword(
                    "hana", "someone-else", "password-hana", "long-enough", null))
            .code());
    await(accounts.login("hana", "password-hana"));
  }

  @Test
  void wrongCurrentPasswordsAreThrottledLikeFailedLogins() throws Exception {
    Accounts throttled =
        new Accounts(
            testKit.system(),
            hashing,
            TokenIssuer.firstGeneration(tokens),
            creator,
            ASK_TIMEOUT,
            new LoginThrottle(
                new LoginThrottle.Settings(2, Duration.ofHours(1), 100, Duration.ofHours(1))));
    var ivan = await(throttled.register("ivan", "password-ivan", null));

    for (int i = 0; i < 2; i++) {
      assertEquals(
          ErrorCode.WRONG_PASSWORD,
          domainFailureOf(
                  throttled.changePassword(
                      "ivan", ivan.userId(), "guess-" + i, "new-password", "10.1.1.1"))
              .code());
    }
    assertEquals(
        ErrorCode.RATE_LIMITED,
        domainFailureOf(
                throttled.changePassword(
                    "ivan", ivan.userId(), "password-ivan", "new-password", "10.1.1.1"))
            .code());
  }

  @Test
  void aWrongPasswordAndAnUnknownUserFailWithTheSameUnauthorizedMessage() throws Exception {
    await(accounts.register("carol", "password-carol", null));

    DomainException wrongPassword = domainFailureOf(accounts.login("carol", "not-her-password"));
    DomainException unknownUser = domainFailureOf(accounts.login("nobody", "password-carol"));
    DomainException impossibleUser = domainFailureOf(accounts.login("No Such User!", "password"));

    for (DomainException e : List.of(wrongPassword, unknownUser, impossibleUser)) {
      assertEquals(ErrorCode.UNAUTHORIZED, e.code());
      assertEquals("invalid username or password", ErrorText.of(e));
    }
    assertEquals(1, creator.callsFor("carol").size(), "a failed login creates nothing");
  }

  @ParameterizedTest(name = "[{index}] {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "ab | password-ok | NULL | username: too short",
        "abcdefghijklmnopqrstuvwxyz0123456 | password-ok | NULL | username: too long",
        "Dave | password-ok | NULL | username: uppercase",
        "da ve | password-ok | NULL | username: space",
        "da/ve | password-ok | NULL | username: slash",
        "NULL | password-ok | NULL | username: missing",
        "dave | short | NULL | password: too short",
        "dave | NULL | NULL | password: missing",
        "dave | password-ok | 'bad\tname' | displayName: control character",
      })
  void invalidInputIsABadRequestNamingTheField(
      String username, String password, String displayName, String why) throws Exception {
    DomainException refused = domainFailureOf(accounts.register(username, password, displayName));

    assertEquals(ErrorCode.BAD_REQUEST, refused.code());
    String field = why.substring(0, why.indexOf(':'));
    assertEquals(field, refused.detail().orElseThrow().subject(), refused.getMessage());
    assertTrue(ErrorText.of(refused).startsWith("`" + field + "`"), ErrorText.of(refused));
    assertTrue(creator.callsFor("dave").isEmpty());
  }

  @Test
  void tooLongPasswordsAndDisplayNamesAreBadRequests() throws Exception {
    DomainException longPassword =
        domainFailureOf(accounts.register("dave", "p".repeat(1025), null));
    DomainException longName =
        domainFailureOf(accounts.register("dave", "password-ok", "n".repeat(65)));
    DomainException newline =
        domainFailureOf(accounts.register("dave", "password-ok", "two\nlines"));

    assertEquals("`password` must be at most 1024 characters", ErrorText.of(longPassword));
    assertEquals("`displayName` must be at most 64 characters", ErrorText.of(longName));
    assertEquals("`displayName` must not contain control characters", ErrorText.of(newline));
    for (DomainException e : List.of(longPassword, longName, newline)) {
      assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }
    assertTrue(creator.callsFor("dave").isEmpty());
  }

  @Test
  void theDisplayNameDefaultsToTheUsernameAndIsTrimmed() throws Exception {
    await(accounts.register("erin", "password-erin", null));
    await(accounts.register("erin.2", "password-erin", "   "));
    await(accounts.register("frank_3", "password-frank", "  Frank  "));

    assertEquals("erin", creator.callsFor("erin").get(0).displayName());
    assertEquals("erin.2", creator.callsFor("erin.2").get(0).displayName());
    assertEquals("Frank", creator.callsFor("frank_3").get(0).displayName());
  }

  @Test
  void aRegistrationThatLosesARaceIsRefusedAsUsernameTaken() throws Exception {
    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    // Someone else registers the name after our check, while our user is being created.
    UserCreator racingCreator =
        (userId, username, displayName) ->
            sharding
                .entityRefFor(Account.ENTITY_KEY, username)
                .<Done>askWithStatus(
                    replyTo -> new Account.Register("the-winner", "$argon2id$x", "Winner", replyTo),
                    ASK_TIMEOUT);

    DomainException refused =
        domainFailureOf(accountsWith(racingCreator).register("grace", "password-grace", null));

    assertEquals(ErrorCode.USERNAME_TAKEN, refused.code());
    assertEquals("username is taken", ErrorText.of(refused));
  }

  @Test
  void aFailureToCreateTheUserSurfacesUnwrappedAndRegistersNothing() throws Exception {
    TimeoutException timeout = new TimeoutException("user creation timed out");
    Accounts failing =
        accountsWith((userId, username, displayName) -> CompletableFuture.failedFuture(timeout));

    assertSame(timeout, failureOf(failing.register("heidi", "password-heidi", null)));

    // Nothing was recorded, so the username is still free.
    Accounts.Registered registered = await(accounts.register("heidi", "password-heidi", null));
    assertEquals("heidi", registered.username());
  }
}
