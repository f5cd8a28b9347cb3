package messenger.audit;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The security audit trail: one log event per refusal that may be an attack or a misconfigured
 * client, on the logger {@value #LOGGER} with the marker {@code SECURITY_AUDIT} (conf/logback.xml
 * sends them to their own file). Each event is a line of {@code key=value} fields, starting with
 * {@code event=}, and carries the same fields as SLF4J key-value pairs for structured encoders.
 *
 * <p>Never pass a password, a token or a message body: nothing here could tell them apart from the
 * other fields. Values that come from clients (usernames, origins) are cut to {@value #MAX_VALUE}
 * characters and quoted with escapes when they hold anything but plain characters, so a forged
 * value cannot start a line of its own.
 */
public final class Audit {

  public static final String LOGGER = "messenger.audit";
  public static final Marker SECURITY_AUDIT = MarkerFactory.getMarker("SECURITY_AUDIT");

  static final int MAX_VALUE = 128;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/@\\[\\]+-]+");
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private Audit() {}

  /**
   * A signed-in user's password check failed: the current password of a password change, or the
   * password that confirms closing the account ({@code field} says which).
   */
  public static void passwordCheckFailed(String username, String address, String field) {
    emit("password_check_failed", "username", username, "address", address, "field", field);
  }

  /**
   * A user changed their own account: {@code what} is {@code password}, {@code display_name} or
   * {@code device_logout:<deviceId>}.
   */
  public static void accountChanged(String userId, String what) {
    emit("account_changed", "userId", userId, "change", what);
  }

  /** A login with a wrong password or an unknown username. */
  public static void loginFailed(String username, String address) {
    emit("login_failed", "username", username, "address", address, "reason", "bad_credentials");
  }

  /** A login refused by the failed-login throttle before its password was checked. */
  public static void loginThrottled(String username, String address) {
    emit("login_throttled", "username", username, "address", address, "reason", "rate_limited");
  }

  /**
   * A signed-in user was refused something on an HTTP route or a WebSocket frame ({@code
   * not_member}, {@code not_admin}).
   *
   * @param route {@code METHOD /path} of an HTTP request, or {@code ws} for a WebSocket frame
   * @param ref the refused frame's clientMsgId, or null
   */
  public static void accessRefused(
      String userId, String address, String route, String ref, String reason) {
    emit(
        "access_refused",
        "userId",
        userId,
        "address",
        address,
        "route",
        route,
        "ref",
        ref,
        "reason",
        reason);
  }

  /** A send refused by messenger.limits ({@code rate_limited}). */
  public static void sendRateLimited(String userId, String address, String route, String ref) {
    emit(
        "rate_limited",
        "userId",
        userId,
        "address",
        address,
        "route",
        route,
        "ref",
        ref,
        "reason",
        "rate_limited");
  }

  /** A WebSocket handshake from a browser page of an origin that is not allowed. */
  public static void originRefused(String origin, String address, String route) {
    emit(
        "origin_refused",
        "origin",
        origin,
        "address",
        address,
        "route",
        route,
        "reason",
        "origin_refused");
  }

  /** A CORS preflight from a page of an origin not in messenger.http.allowed-origins. */
  public static void corsRefused(String origin, String address, String route) {
    emit(
        "cors_refused",
        "origin",
        origin,
        "address",
        address,
        "route",
        route,
        "reason",
        "origin_refused");
  }

  /** A WebSocket refused because its address holds messenger.limits.connections-per-address. */
  public static void connectionsPerAddressRefused(String address) {
    emit(
        "connection_refused",
        "address",
        address,
        "route",
        "ws",
        "reason",
        "connections_per_address");
  }

  /**
   * A bearer token that was presented and refused (bad signature, expired, revoked).
   *
   * @param reason a short word such as {@code expired} or {@code revoked}, never the token
   */
  public static void tokenRefused(String address, String reason) {
    emit("token_refused", "address", address, "reason", reason);
  }

  /**
   * A user's tokens were revoked.
   *
   * @param scope what was revoked: {@code all}, or {@code token:<jti>} (one device's login)
   */
  public static void tokensRevoked(String userId, String scope) {
    emit("tokens_revoked", "userId", userId, "scope", scope);
  }

  /** A login with the right password of a suspended account. */
  public static void loginSuspended(String username, String address) {
    emit("login_refused", "username", username, "address", address, "reason", "suspended");
  }

  /**
   * A user reported a message or a user.
   *
   * @param target {@code message:<conversationId>/<seq>} or {@code user:<userId>}
   */
  public static void reportFiled(String reporterId, String reportId, String target, String reason) {
    emit(
        "report_filed",
        "userId",
        reporterId,
        "reportId",
        reportId,
        "target",
        target,
        "reason",
        reason);
  }

  /** A report refused by messenger.limits.reports-per-hour-per-user. */
  public static void reportRateLimited(String reporterId) {
    emit("rate_limited", "userId", reporterId, "route", "reports", "reason", "rate_limited");
  }

  /**
   * An operator (with the admin token) granted or revoked the moderator role.
   *
   * @param action {@code granted} or {@code revoked}
   */
  public static void moderatorRole(String userId, String action) {
    emit("moderator_role", "by", "admin", "userId", userId, "action", action);
  }

  /**
   * A moderator acted.
   *
   * @param action {@code report_resolved}, {@code message_deleted}, {@code user_suspended}, {@code
   *     user_reinstated}
   * @param target {@code report:<id>}, {@code message:<conversationId>/<seq>}, {@code user:<id>}
   * @param outcome the resolution's outcome or the suspension's reason (client text, cut), or null
   */
  public static void moderatorAction(
      String moderatorId, String action, String target, String outcome) {
    emit(
        "moderator_action",
        "by",
        moderatorId,
        "action",
        action,
        "target",
        target,
        "outcome",
        outcome);
  }

  private static void emit(String event, String... keysAndValues) {
    if (!log.isInfoEnabled(SECURITY_AUDIT)) return;
    StringBuilder text = new StringBuilder("event=").append(event);
    LoggingEventBuilder builder =
        log.atInfo().addMarker(SECURITY_AUDIT).addKeyValue("event", event);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      String value = keysAndValues[i + 1];
      if (value == null) continue;
      String cut = cut(value);
      text.append(' ').append(keysAndValues[i]).append('=').append(quoted(cut));
      builder = builder.addKeyValue(keysAndValues[i], cut);
    }
    builder.log(text.toString());
  }

  private static String cut(String value) {
    return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + "…";
  }

  /**
   * The value as is if plain, else in double quotes with quotes, backslashes and controls escaped.
   */
  static String quoted(String value) {
    if (PLAIN.matcher(value).matches()) return value;
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT
              || c == '\u2028'
              || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
