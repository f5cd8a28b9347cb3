package messenger;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.Http;
import akka.http.javadsl.HttpsConnectionContext;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.ServerBuilder;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import messenger.account.ProfilePicture;
import messenger.api.http.AdminRoutes;
import messenger.api.http.ApiRoutes;
import messenger.api.http.AttachmentRoutes;
import messenger.api.http.AuditedRefusals;
import messenger.api.http.BlockRoutes;
import messenger.api.http.ClientAddress;
import messenger.api.http.ConversationRoutes;
import messenger.api.http.Cors;
import messenger.api.http.DeviceRoutes;
import messenger.api.http.HealthRoutes;
import messenger.api.http.ServerTls;
import messenger.api.http.WebRoutes;
import messenger.api.ws.OriginPolicy;
import messenger.api.ws.WebSocketHandler;
import messenger.app.AttachmentService;
import messenger.app.ConversationService;
import messenger.app.DeviceService;
import messenger.app.MessageTargets;
import messenger.app.ModerationService;
import messenger.app.PresenceService;
import messenger.app.UserDirectory;
import messenger.auth.Account;
import messenger.auth.Accounts;
import messenger.auth.BulkAccounts;
import messenger.auth.PasswordHashing;
import messenger.auth.RevocationBroadcast;
import messenger.auth.Revocations;
import messenger.auth.TokenIssuer;
import messenger.auth.TokenLedger;
import messenger.auth.TokenService;
import messenger.auth.UserCreator;
import messenger.chat.AmendedConversationLog;
import messenger.chat.CassandraMessageChanges;
import messenger.chat.Conversation;
import messenger.chat.ConversationLog;
import messenger.chat.JournalConversationLog;
import messenger.chat.JournalHeads;
import messenger.chat.MemberInboxes;
import messenger.chat.MessageChanges;
import messenger.chat.ReceiptBook;
import messenger.cluster.ClusterFormation;
import messenger.delivery.InboxReads;
import messenger.delivery.SendPort;
import messenger.delivery.SessionDeps;
import messenger.delivery.Sessions;
import messenger.delivery.ShardedInboxSignals;
import messenger.delivery.ShardedMemberInboxes;
import messenger.delivery.UserInbox;
import messenger.limits.NodeLimits;
import messenger.media.AttachmentStore;
import messenger.media.MediaStorage;
import messenger.media.ObjectStore;
import messenger.metrics.Metrics;
import messenger.metrics.MetricsRoutes;
import messenger.push.PushProviders;
import messenger.push.VapidKeys;
import messenger.safety.BlockList;
import messenger.safety.BlockRules;
import messenger.safety.BlockService;
import messenger.safety.SafetySettings;
import messenger.storage.CassandraLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server node: storage (the embedded Cassandra unless contact points are configured,
 * the object store for attachments), the actor system with its sharded entities, and the
 * HTTP/WebSocket server. {@link #start} blocks until the node serves; {@link #stop} runs the
 * coordinated shutdown, which also stops the embedded Cassandra and S3Proxy after sharding has
 * handed off.
 */
public final class MessengerNode {

  private static final Logger log = LoggerFactory.getLogger(MessengerNode.class);
  private static final String READ_JOURNAL = "akka.persistence.cassandra.query";

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final MediaStorage media;

  private MessengerNode(ActorSystem<Void> system, ServerBinding binding, MediaStorage media) {
    this.system = system;
    this.binding = binding;
    this.media = media;
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
    MediaStorage media = null;
    ActorSystem<Void> system = null;
    try {
      media = MediaStorage.start(config);
      system =
          ActorSystem.create(
              Guardian.create(), "messenger", withContactPoints(config, contactPoints));
      if (cassandra != null) stopWithSystem(system, "stop-embedded-cassandra", cassandra);
      stopWithSystem(system, "close-object-store", media);
      ServerBinding binding =
          serve(system, fanout, https, media.store(), media.publicOrigin())
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      log.info(
          "messenger serving on {}://{}:{} (Cassandra {}) after {} ms",
          https.isPresent() ? "https" : "http",
          binding.localAddress().getHostString(),
          binding.localAddress().getPort(),
          contactPoints,
          Duration.ofNanos(System.nanoTime() - started).toMillis());
      return new MessengerNode(system, binding, media);
    } catch (Exception | Error e) {
      if (system != null) system.terminate();
      if (media != null) media.close();
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

  /** Where attachments' bytes live; closed by the coordinated shutdown. */
  public ObjectStore objectStore() {
    return media.store();
  }

  /** Runs the coordinated shutdown and waits for it. */
  public void stop() throws Exception {
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    system.getWhenTerminated().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }

  private static CompletionStage<ServerBinding> serve(
      ActorSystem<Void> system,
      UnaryOperator<MemberInboxes> fanout,
      Optional<HttpsConnectionContext> https,
      ObjectStore objects,
      String objectStoreOrigin) {
    NodeSettings settings = NodeSettings.create(system.settings().config());
    Duration askTimeout = settings.http().askTimeout();
    ClusterSharding sharding = ClusterSharding.get(system);
    Metrics metrics = new Metrics();
    AttachmentStore attachments = AttachmentWiring.store(system, objects);
    var changes =
        new CassandraMessageChanges(system, READ_JOURNAL, AttachmentWiring.files(attachments));
    // History, catch-up and fan-out all read messages as they now are: edited, deleted, reacted to.
    var conversationLog =
        new AmendedConversationLog(new JournalConversationLog(system, READ_JOURNAL), changes);
    VapidKeys vapid = VapidKeys.load(settings.push());

    var safety = SafetySettings.from(system.settings().config().getConfig("messenger"));
    BlockList.init(system, new BlockRules(safety.maxBlocks()));
    var blocks = new BlockService(system, askTimeout, safety.maxBlocks());
    initEntities(
        system, settings, sharding, fanout, conversationLog, changes, vapid, metrics, blocks);
    var revocations = new Revocations(system, askTimeout, settings.revocationCacheTtl());
    TokenLedger.init(
        system,
        AuthWiring.revocationFanout(RevocationBroadcast.start(system, revocations), sharding));
    AccountClosureWiring.start(system, revocations, attachments.avatars(), askTimeout);
    ProfilePicture.init(system);

    NodeLimits limits = NodeLimits.create(settings.limits());
    limits.forgetIdleEveryMinute(system);
    // One way in for every send, WebSocket or HTTP: the same limits, timeout and refusals.
    AttachmentWiring.startSweeper(system, objects, attachments);
    SendPort sends =
        SendPort.sharded(
            sharding,
            limits.admission(),
            limits.sends(),
            askTimeout,
            AttachmentWiring.claims(attachments),
            new MessageTargets(
                sharding,
                conversationLog,
                settings.chat().amendments(),
                askTimeout,
                java.time.Clock.systemUTC()));
    var moderation = SafetyWiring.start(system, READ_JOURNAL, sends, revocations, askTimeout);
    var sessions =
        new Sessions(
            system,
            new SessionDeps(
                sharding,
                conversationLog,
                settings.delivery(),
                metrics,
                sends,
                AuthWiring.credentialCheck(revocations)));
    metrics.openConnections(sessions::openCount);
    metrics.sendAdmission(limits.admission());
    var clientAddress = new ClientAddress(settings.http().trustForwardedFor());
    var origins = new OriginPolicy(settings.http().allowedOrigins(), https.isPresent());
    var routes =
        apiRoutes(
            system,
            settings,
            sharding,
            conversationLog,
            vapid,
            metrics,
            revocations,
            limits,
            sends,
            sessions,
            attachments,
            clientAddress,
            origins,
            moderation,
            blocks);

    ServerBuilder server =
        Http.get(system).newServerAt(settings.http().iface(), settings.http().port());
    if (https.isPresent()) server = server.enableHttps(https.get());
    return server
        .bind(
            new WebRoutes(objectStoreOrigin)
                .routes()
                .orElse(new Cors(origins, clientAddress).around(routes.routes())))
        .thenApply(
            binding ->
                drainOnShutdown(system, binding, sessions, settings.delivery().drainTimeout()));
  }

  /** Registers the sharded entities (and their ways to the push dispatcher and each other). */
  private static void initEntities(
      ActorSystem<Void> system,
      NodeSettings settings,
      ClusterSharding sharding,
      UnaryOperator<MemberInboxes> fanout,
      ConversationLog conversationLog,
      MessageChanges changes,
      VapidKeys vapid,
      Metrics metrics,
      BlockService blocks) {
    UserInbox.init(
        system,
        settings.delivery(),
        PushWiring.notifier(system, sharding, settings, vapid, metrics),
        new ShardedInboxSignals(sharding),
        new InboxReads(new JournalHeads(system, READ_JOURNAL), conversationLog));
    ReceiptBook.init(system, settings.delivery().ackFlushInterval());
    Conversation.init(
        system,
        settings.chat(),
        fanout.apply(new ShardedMemberInboxes(sharding)),
        conversationLog,
        changes,
        blocks);
    Account.init(system);
  }

  /** The HTTP and WebSocket routes over the application services. */
  private static ApiRoutes apiRoutes(
      ActorSystem<Void> system,
      NodeSettings settings,
      ClusterSharding sharding,
      ConversationLog conversationLog,
      VapidKeys vapid,
      Metrics metrics,
      Revocations revocations,
      NodeLimits limits,
      SendPort sends,
      Sessions sessions,
      AttachmentStore attachments,
      ClientAddress clientAddress,
      OriginPolicy origins,
      ModerationService moderation,
      BlockService blocks) {
    HttpSettings http = settings.http();
    Duration askTimeout = http.askTimeout();
    UserCreator users = AuthWiring.inboxRegistration(sharding, askTimeout);
    TokenService tokens = TokenService.create(settings.auth());
    PasswordHashing hashing = PasswordHashing.create(system.settings().config());
    var accounts =
        new Accounts(
            system,
            hashing,
            TokenIssuer.withRevocations(tokens, revocations),
            users,
            askTimeout,
            limits.logins());
    var admin =
        new AdminRoutes(
            new BulkAccounts(system, hashing, tokens, users, askTimeout),
            moderation,
            settings.adminToken(),
            http.maxBodyBytes());
    var conversations =
        new ConversationService(
            system,
            conversationLog,
            askTimeout,
            settings.chat().maxGroupSize(),
            sends,
            limits.creations(),
            blocks);
    var inviteRoutes =
        AccountWiring.inviteRoutes(system, conversations, tokens, askTimeout, http.maxBodyBytes());
    var devices = new DeviceService(system, revocations, askTimeout);
    var attachmentRoutes =
        new AttachmentRoutes(
            new AttachmentService(conversations, attachments), http.maxBodyBytes());
    var audited = new AuditedRefusals(clientAddress);
    return new ApiRoutes(
        accounts,
        tokens,
        revocations,
        new ConversationRoutes(
            conversations, attachmentRoutes, inviteRoutes, http.maxBodyBytes(), audited),
        attachmentRoutes,
        new WebSocketHandler(
            system,
            sessions,
            http.maxBodyBytes(),
            metrics,
            origins,
            limits.addresses(),
            settings.limits().sendWindow()),
        new HealthRoutes(system),
        new DeviceRoutes(
            devices, vapid.publicKeyBase64Url(), PushProviders.offered(settings.push())),
        new PresenceService(system, askTimeout, blocks),
        new UserDirectory(system, askTimeout),
        new MetricsRoutes(metrics, settings.metricsToken()).routes(),
        admin,
        AccountWiring.accountRoutes(
            system,
            accounts,
            revocations,
            conversations,
            devices,
            conversationLog,
            attachments,
            askTimeout,
            http.maxBodyBytes()),
        SafetyWiring.routes(
            system, conversations, moderation, askTimeout, http.maxBodyBytes(), audited),
        http.maxBodyBytes(),
        http.trustForwardedFor(),
        new BlockRoutes(blocks),
        inviteRoutes);
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

  /** Closes {@code resource} once the actors have stopped using it. */
  private static void stopWithSystem(
      ActorSystem<Void> system, String taskName, AutoCloseable resource) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            taskName,
            () ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        resource.close();
                      } catch (Exception e) {
                        log.warn("{} failed", taskName, e);
                      }
                      return Done.getInstance();
                    }));
  }

  /**
   * The container image turns the embedded Cassandra off: in a pod it would download 66 MB at every
   * start and keep the data in the container, so a missing contact point must stop the node
   * instead.
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
        Arrays.stream(contactPoints.split(","))
            .map(String::trim)
            .filter(p -> !p.isEmpty())
            .toList();
    return ConfigFactory.parseMap(Map.of("datastax-java-driver.basic.contact-points", points))
        .withFallback(config);
  }
}
