package messenger.media;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The limits on attachments and how long their URLs live, from {@code messenger.attachments}. */
public record AttachmentSettings(
    long maxBytes,
    int maxPerMessage,
    int uploadsPerHour,
    Set<String> allowedTypes,
    int maxNameChars,
    int maxPreviewChars,
    Duration uploadUrlValidity,
    Duration downloadUrlValidity,
    Duration orphanAfter,
    Duration sweepInterval) {

  public AttachmentSettings {
    allowedTypes = Set.copyOf(allowedTypes);
  }

  public static AttachmentSettings fromConfig(Config c) {
    List<String> types = c.getStringList("allowed-types");
    return new AttachmentSettings(
        c.getBytes("max-bytes"),
        c.getInt("max-per-message"),
        c.getInt("uploads-per-hour"),
        types.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()),
        c.getInt("max-name-chars"),
        c.getInt("max-preview-chars"),
        c.getDuration("upload-url-validity"),
        c.getDuration("download-url-validity"),
        c.getDuration("orphan-after"),
        c.getDuration("sweep-interval"));
  }
}
