package messenger.push;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.Objects;

/**
 * The {@code messenger.push.fcm} block: Firebase Cloud Messaging's HTTP v1 API with a service
 * account's OAuth token. With no {@code service-account-file} FCM is off, and devices cannot
 * register an FCM token.
 *
 * @param serviceAccountFile the service account's JSON key (its {@code token_uri} is where access
 *     tokens come from)
 * @param projectId the Firebase project; empty: the service account's {@code project_id}
 * @param endpoint the API's base URL, {@code https://fcm.googleapis.com} (another for tests)
 * @param trustedCertificates a PEM file of certificates to trust for the API and the token URI
 *     instead of the JDK's, or empty
 * @param highPriority {@code android.priority} HIGH (wakes the device) rather than NORMAL
 */
public record FcmSettings(
    String serviceAccountFile,
    String projectId,
    String endpoint,
    String trustedCertificates,
    boolean highPriority) {

  public static final FcmSettings OFF =
      new FcmSettings("", "", "https://fcm.googleapis.com", "", true);

  public FcmSettings {
    Objects.requireNonNull(serviceAccountFile, "serviceAccountFile");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(trustedCertificates, "trustedCertificates");
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("messenger.push.fcm.endpoint is not a URL: " + endpoint);
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "messenger.push.fcm.endpoint must be an http(s) URL, got " + endpoint);
    }
  }

  /** Reads {@code fcm} from the {@code messenger.push} block. */
  static FcmSettings create(Config push) {
    Config c = push.getConfig("fcm");
    return new FcmSettings(
        c.getString("service-account-file"),
        c.getString("project-id"),
        c.getString("endpoint"),
        c.getString("trusted-certificates"),
        PushSettings.highPriority(c.getString("priority"), "fcm.priority"));
  }

  public boolean configured() {
    return !serviceAccountFile.isEmpty();
  }

  /** The v1 send URL for {@code project}. */
  URI sendUri(String project) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return URI.create(base + "/v1/projects/" + project + "/messages:send");
  }
}
