package messenger;

import akka.actor.typed.ActorSystem;
import java.time.Clock;
import java.time.Duration;
import messenger.api.http.AccountRoutes;
import messenger.api.http.AvatarRoutes;
import messenger.api.http.InviteRoutes;
import messenger.app.AccountExport;
import messenger.app.AccountService;
import messenger.app.AvatarService;
import messenger.app.ConversationService;
import messenger.app.DeviceService;
import messenger.app.InviteService;
import messenger.auth.Accounts;
import messenger.auth.Revocations;
import messenger.auth.TokenService;
import messenger.chat.ConversationLog;
import messenger.chat.InviteBook;
import messenger.chat.InviteTokens;
import messenger.media.AttachmentStore;

/**
 * A user's own account (profile, password, picture, export) and groups' invite links: the services
 * and routes over them.
 */
final class AccountWiring {

  private AccountWiring() {}

  /** {@code /account}: the account, its password, picture and export. */
  static AccountRoutes accountRoutes(
      ActorSystem<?> system,
      Accounts accounts,
      Revocations revocations,
      ConversationService conversations,
      DeviceService devices,
      ConversationLog log,
      AttachmentStore attachments,
      Duration askTimeout,
      int maxBodyBytes) {
    var own = new AccountService(system, accounts, revocations, askTimeout);
    var export = new AccountExport(own, conversations, devices, log, AccountExport.DEFAULT_AT_ONCE);
    var avatars =
        new AvatarRoutes(
            new AvatarService(system, attachments.avatars(), askTimeout), maxBodyBytes);
    return new AccountRoutes(own, export, avatars, maxBodyBytes);
  }

  /** Invite links to groups, signed with a key of their own derived from the token key. */
  static InviteRoutes inviteRoutes(
      ActorSystem<?> system,
      ConversationService conversations,
      TokenService tokens,
      Duration askTimeout,
      int maxBodyBytes) {
    InviteBook.init(system);
    Clock clock = Clock.systemUTC();
    var links = new InviteTokens(tokens.derivedKey("invite-links"), clock);
    return new InviteRoutes(
        new InviteService(system, conversations, links, askTimeout, clock), maxBodyBytes);
  }
}
