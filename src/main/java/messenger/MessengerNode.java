package messenger;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBuilder;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import messenger.api.http.AdminRoutes;
import messenger.api.http.ApiRoutes;
import messenger.api.http.AuditedRefusals;
import messenger.api.http.ClientAddress;
import messenger.api.http.ConversationRoutes;
import messenger.api.http.Cors;
import messenger.api.http.DeviceRoutes;
import messenger.api.http.HealthRoutes;
import messenger.api.http.ServerTls;
import messenger.api.http.WebRoutes;
import messenger.api.ws.OriginPolicy;
import messenger.api.ws.WebSocketHandler;
import messenger.app.ConversationService;
import messenger.app.DeviceService;
import messenger.app.PresenceService;
import messenger.app.UserDirectory;
import messenger.auth.Account;
import messenger.auth.Accounts;
import messenger.auth.AuthSettings;
import messenger.auth.BulkAccounts;
import messenger.auth.PasswordHasher;
import messenger.auth.RevocationBroadcast;
import messenger.auth.Revocations;
import messenger.auth.TokenIssuer;
import messenger.auth.TokenLedger;
import messenger.auth.TokenService;
import messenger.auth.UserCreator;
import messenger.chat.ChatSettings;
import messenger.chat.Conversation;
import messenger.chat.JournalConversationLog;
import messenger.chat.MemberInboxes;
import messenger.chat.ReceiptBook;
import messenger.cluster.ClusterFormation;
import messenger.delivery.DeliverySettings;
import messenger.delivery.InboxLog;
import messenger.delivery.PushNotifier;
import messenger.delivery.SendPort;
import messenger.delivery.Session;
import messenger.delivery.Sessions;
import messenger.delivery.ShardedInboxSignals;
import messenger.delivery.ShardedMemberInboxes;
import messenger.delivery.UserInbox;
import messenger.limits.AddressConnections;
import messenger.limits.LoginThrottle;
import messenger.limits.CreationLimits;
import messenger.limits.SendLimits;
import messenger.metrics.Metrics;
import messenger.push.EndpointGone;
import messenger.push.EndpointGuard;
import messenger.push.Notification;
import messenger.push.PushDispatcher;
import messenger.push.PushProviders;
import messenger.push.PushSettings;
import messenger.push.VapidKeys;
import messenger.metrics.MetricsRoutes;
import messenger.storage.CassandraLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server node: storage (the embedded Cassandra unless contact points are configured),
 * the actor system with its sharded entities, and the HTTP/WebSocket server. {@link #start} blocks
 * until the node serves; {@link #stop} runs the coordinated shutdown, which also stops the embedded
 * Cassandra after sharding has handed off.
 */
public final class MessengerNode {

  private static final Logger log = LoggerFactory.getLogger(MessengerNode.class);
  private static final String READ_JOURNAL = "akka.persistence.cassandra.query";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;

  private MessengerNode(ActorSystem<Void> system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  public static MessengerNode start(Config config) throws Exception {
    return start(config, UnaryOperator.identity());
  }

  /**
   * @param fanout wraps the path from conversations to member inboxes; tests use it to stand for a
   *     node that dies between a message's persist and its fan-out
   */
  public static MessengerNode start(Config config, UnaryOperator<MemberInboxes> fanout)
      throws Exception {
    long started = System.nanoTime();
    if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
      log.warn(
          "The common ForkJoinPool has one thread, so every ask answered to an actor starts a new"
              + " thread; run the JVM with -D{}=4 (bin/messenger does)",
          Main.COMMON_POOL_PARALLELISM);
    }
    // Settings that would stop the node are checked before Cassandra starts, so they fail at once.
    TlsSettings tls = TlsSettings.create(config);
    tls.requireSafeInterface(HttpSettings.create(config).iface());
    Optional<HttpsConnectionContext> https =
        tls.enabled() ? Optional.of(ServerTls.context(tls)) : Optional.empty();
    // A mistyped MESSENGER_CLUSTER_BOOTSTRAP fails here, before Cassandra or the cluster start.
    ClusterFormation.method(config);
    String contactPoints = config.getString("messenger.cassandra.contact-points");
    CassandraLauncher cassandra = null;
    if (contactPoints.isBlank()) {
      requireEmbeddedCassandraAllowed(config);
      cassandra =
          CassandraLauncher.start(
              CassandraLauncher.Settings.fromConfig(
                  config.getConfig("messenger.cassandra.embedded")));
      contactPoints = cassandra.contactPoint();
    }
    ActorSystem<Void> system = null;
    try {
      system = ActorSystem.create(Guardian.create(), "messenger", withContactPoints(config, contactPoints));
      if (cassandra != null) stopWithSystem(system, cassandra);
      ServerBinding binding =
          serve(system, fanout, https).toCompletableFuture().get(60, TimeUnit.SECONDS);
      log.info(
          "messenger serving on {}://{}:{} (Cassandra {}) after {} ms",
          https.isPresent() ? "https" : "http",
          binding.localAddress().getHostString(),
          binding.localAddress().getPort(),
          contactPoints,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      return new MessengerNode(system, binding);
    } catch (Exception | Error e) {
      if (system != null) system.terminate();
      if (cassandra != null) cassandra.close();
      throw e;
    }
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Runs the coordinated shutdown and waits for it. */
  public void stop() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static CompletionStage<ServerBinding> serve(
      ActorSystem<Void> system,
      UnaryOperator<MemberInboxes> fanout,
      Optional<HttpsConnectionContext> https) {
    Config config = system.settings().config();
    HttpSettings http = HttpSettings.create(config);
    ChatSettings chat = ChatSettings.create(config);
    DeliverySettings delivery = DeliverySettings.create(config);
    ClusterSharding sharding = ClusterSharding.get(system);
    Metrics metrics = new Metrics();

    var conversationLog = new JournalConversationLog(system, READ_JOURNAL);
    PushSettings pushSettings = PushSettings.create(config);
    VapidKeys vapid = VapidKeys.load(pushSettings);
    UserInbox.init(
        system,
        delivery,
        pushNotifier(system, sharding, pushSettings, vapid, metrics),
        new ShardedInboxSignals(sharding));
    ReceiptBook.init(system);
    Conversation.init(system, chat, fanout.apply(new ShardedMemberInboxes(sharding)), conversationLog);
    Account.init(system);
    var revocations =
        new Revocations(
            system, http.askTimeout(), config.getDuration("messenger.auth.revocation-cache-ttl"));
    var broadcast = RevocationBroadcast.start(system, revocations);
    TokenLedger.init(
        system,
        revocation -> {
          broadcast.publish(revocation);
          sharding
              .entityRefFor(UserInbox.ENTITY_KEY, revocation.userId())
              .tell(
                  new UserInbox.EndRevokedConnections(
                      revocation.status().generation(), revocation.tokenId()));
        });

    UserCreator users =
        (userId, username, displayName) ->
            sharding
                .entityRefFor(UserInbox.ENTITY_KEY, userId)
                .askWithStatus(
                    replyTo -> new UserInbox.Register(username, displayName, replyTo),
                    http.askTimeout());
    TokenService tokens = TokenService.create(AuthSettings.create(config));
    Config limits = config.getConfig("messenger.limits");
    var loginThrottle = new LoginThrottle(LoginThrottle.Settings.fromConfig(limits));
    PasswordHasher hasher = new PasswordHasher();
    Executor hashing = hashingPool();
    var accounts =
        new Accounts(
            system,
            hasher,
            TokenIssuer.withRevocations(tokens, revocations),
            users,
            http.askTimeout(),
            hashing,
            loginThrottle);
    var admin =
        new AdminRoutes(
            new BulkAccounts(system, hasher, tokens, users, http.askTimeout(), hashing),
            config.getString("messenger.admin.token"),
            http.maxBodyBytes());
    var sendLimits = new SendLimits(SendLimits.Settings.fromConfig(limits));
    var creationLimits = new CreationLimits(limits.getInt("conversations-per-hour-per-user"));
    system.scheduler()
        .scheduleWithFixedDelay(
            Duration.ofMinutes(1),
            Duration.ofMinutes(1),
            () -> {
              sendLimits.forgetIdle();
              creationLimits.forgetIdle();
              loginThrottle.forgetIdle();
            },
            system.executionContext());
    var sendPort = SendPort.sharded(sharding, sendLimits, http.askTimeout());
    var sessions =
        new Sessions(
            system,
            new Session.Deps(
                sharding,
                new InboxLog(system, READ_JOURNAL),
                delivery,
                metrics,
                sendPort,
                (userId, credential) ->
                    revocations.allows(userId, credential.tokenId(), credential.generation())));
    metrics.openConnections(sessions::openCount);
    var clientAddress = new ClientAddress(config.getBoolean("messenger.http.trust-forwarded-for"));
    var origins = new OriginPolicy(config.getString("messenger.http.allowed-origins"), https.isPresent());
    var routes =
        new ApiRoutes(
            accounts,
            tokens,
            revocations,
            new ConversationRoutes(
                new ConversationService(
                    system,
                    conversationLog,
                    http.askTimeout(),
                    chat.maxGroupSize(),
                    sendPort,
                    creationLimits),
                http.maxBodyBytes(),
                new AuditedRefusals(clientAddress)),
            new WebSocketHandler(
                system,
                sessions,
                http.maxBodyBytes(),
                metrics,
                origins,
                new AddressConnections(limits.getInt("connections-per-address"))),
            new HealthRoutes(system),
            new DeviceRoutes(new DeviceService(system, http.askTimeout()), vapid.publicKeyBase64Url()),
            new PresenceService(system, http.askTimeout()),
            new UserDirectory(system, http.askTimeout()),
            new MetricsRoutes(metrics, config.getString("messenger.metrics.token")).routes(),
            admin,
            http.maxBodyBytes(),
            config.getBoolean("messenger.http.trust-forwarded-for"));

    ServerBuilder server = Http.get(system).newServerAt(http.iface(), http.port());
    if (https.isPresent()) server = server.enableHttps(https.get());
    return server
        .bind(new WebRoutes().routes().orElse(new Cors(origins, clientAddress).around(routes.routes())))
        .thenApply(binding -> drainOnShutdown(system, binding, sessions, delivery.drainTimeout()));
  }

  /**
   * The node's push dispatcher, as the inboxes see it. A push service's "gone" goes back to the
   * user's inbox, which forgets the endpoint if it is still the registered one.
   */
  private static PushNotifier pushNotifier(
      ActorSystem<Void> system,
      ClusterSharding sharding,
      PushSettings settings,
      VapidKeys vapid,
      Metrics metrics) {
    EndpointGone gone =
        (userId, deviceId, endpoint) ->
            sharding
                .entityRefFor(UserInbox.ENTITY_KEY, userId)
                .tell(new UserInbox.PushEndpointGone(deviceId, endpoint));
    // Name lookups block: they run on Akka's dispatcher for blocking work.
    var providers =
        system.settings().config().getBoolean("messenger.push.allow-internal-endpoints")
            ? PushProviders.standard(settings, vapid)
            : PushProviders.guarded(
                settings,
                vapid,
                new EndpointGuard(system.dispatchers().lookup(DispatcherSelector.blocking())));
    ActorRef<PushDispatcher.Command> dispatcher =
        system.systemActorOf(
            PushDispatcher.create(settings, providers, gone, metrics),
            "push-dispatcher",
            Props.empty());
    return (userId, deviceId, subscription, notification) ->
        dispatcher.tell(
            new PushDispatcher.Notify(
                userId,
                deviceId,
                subscription,
                settings.previews() ? notification : withoutPreview(notification)));
  }

  private static Notification withoutPreview(Notification n) {
    return new Notification(n.conversationId(), n.unreadCount(), null, n.senderName(), n.latestSeq());
  }

  /**
   * Shutdown, before sharding hands off: stop accepting connections, tell every client to go away
   * (it reconnects, to another node behind the load balancer), then end what is left.
   */
  private static ServerBinding drainOnShutdown(
      ActorSystem<Void> system, ServerBinding binding, Sessions sessions, Duration drainTimeout) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceUnbind(),
        "http-unbind",
        () -> binding.unbind().thenApply(unbound -> Done.getInstance()));
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "websocket-drain",
        () ->
            sessions
                .drain(drainTimeout)
                .thenCompose(drained -> binding.terminate(Duration.ofSeconds(5)))
                .thenApply(terminated -> Done.getInstance()));
    return binding;
  }

  /**
   * Argon2 costs ~80 ms of CPU and 19 MiB per call: one thread per core and a bounded queue, so a
   * login flood is refused (503) instead of starving the node.
   */
  private static Executor hashingPool() {
    int threads = Runtime.getRuntime().availableProcessors();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(256),
        runnable -> {
          Thread thread = new Thread(runnable, "password-hashing");
          thread.setDaemon(true);
          return thread;
        });
  }

  private static void stopWithSystem(ActorSystem<Void> system, CassandraLauncher cassandra) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "stop-embedded-cassandra",
            () ->
                CompletableFuture.supplyAsync(
                    () -> {
                      cassandra.close();
                      return Done.getInstance();
                    }));
  }

  /**
   * The container image turns the embedded Cassandra off: in a pod it would download 66 MB at every
   * start and keep the data in the container, so a missing contact point must stop the node instead.
   */
  private static void requireEmbeddedCassandraAllowed(Config config) {
    if (!config.getBoolean("messenger.cassandra.embedded.enabled")) {
      throw new IllegalStateException(
          "No Cassandra configured: set MESSENGER_CASSANDRA_CONTACT_POINTS (host:port,...); the"
              + " embedded Cassandra is off here (MESSENGER_CASSANDRA_EMBEDDED=false)");
    }
  }

  private static Config withContactPoints(Config config, String contactPoints) {
    List<String> points =
        Arrays.stream(contactPoints.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    return ConfigFactory.parseMap(Map.of("datastax-java-driver.basic.contact-points", points))
        .withFallback(config);
  }
}
