package messenger.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import messenger.DomainException;
import messenger.ErrorCode;
import messenger.chat.Attachment;
import org.junit.jupiter.api.Test;

class AttachmentStoreTest {

  static final AttachmentSettings SETTINGS =
      new AttachmentSettings(
          1000,
          2,
          3,
          Set.of("image/png", "application/pdf"),
          20,
          100,
          Duration.ofMinutes(15),
          Duration.ofMinutes(5),
          Duration.ofHours(24),
          Duration.ofHours(1));
  static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  final InMemoryObjectStore objects = new InMemoryObjectStore(Clock.fixed(T0, ZoneOffset.UTC));
  final AttachmentStore store = new AttachmentStore(objects, SETTINGS);

  static Attachment png(String id, long size) {
    return new Attachment(id, "image/png", size, "cat.png", 10, 10, null);
  }

  /** Signs an upload and does what the client's PUT would; returns the upload's id. */
  String uploaded(String user, String conversation, long size) {
    var ticket = store.signUpload(user, conversation, "image/png", size, "cat.png");
    objects.put(AttachmentKeys.pending(conversation, user, ticket.uploadId()), size, "image/png");
    return ticket.uploadId();
  }

  static ErrorCode refusal(Runnable call) {
    RuntimeException thrown = assertThrows(RuntimeException.class, call::run);
    Throwable cause = thrown instanceof CompletionException ? thrown.getCause() : thrown;
    return ((DomainException) cause).code();
  }

  @Test
  void anUploadIsSignedForItsExactTypeAndSizeUnderTheConversationAndUploader() {
    var ticket = store.signUpload("u-1", "g-1", "Image/PNG", 500, "cat.png");

    assertEquals("PUT", ticket.upload().method());
    assertEquals("image/png", ticket.upload().headers().get("Content-Type"));
    assertFalse(
        ticket.upload().headers().containsKey("Content-Length"),
        "clients set it from the body; browsers refuse to be told");
    assertTrue(ticket.upload().url().contains("pending/g-1/u-1/" + ticket.uploadId()));
  }

  @Test
  void uploadsOverTheSizeOfATypeNotAllowedOrBeyondTheHourlyAllowanceAreRefusedWithTheirCodes() {
    assertEquals(
        ErrorCode.TOO_LARGE, refusal(() -> store.signUpload("u-1", "g-1", "image/png", 1001, "a")));
    assertEquals(
        ErrorCode.TYPE_NOT_ALLOWED,
        refusal(() -> store.signUpload("u-1", "g-1", "text/html", 10, "a.html")));
    for (int i = 0; i < SETTINGS.uploadsPerHour(); i++) {
      store.signUpload("u-1", "g-1", "image/png", 10, "a.png");
    }
    assertEquals(
        ErrorCode.RATE_LIMITED,
        refusal(() -> store.signUpload("u-1", "g-1", "image/png", 10, "a.png")));
    store.signUpload("u-2", "g-1", "image/png", 10, "a.png");
  }

  @Test
  void aMessagesUploadIsMovedIntoTheConversationsKeepingAndARetryFindsItThere() {
    String id = uploaded("u-1", "g-1", 500);

    assertEquals(
        List.of(png(id, 500)),
        store.claim("u-1", "g-1", List.of(png(id, 500))).toCompletableFuture().join());
    assertFalse(objects.objects.containsKey(AttachmentKeys.pending("g-1", "u-1", id)));
    assertTrue(objects.objects.containsKey(AttachmentKeys.stored("g-1", "u-1", id)));

    store.claim("u-1", "g-1", List.of(png(id, 500))).toCompletableFuture().join();
  }

  @Test
  void anUploadOfSomeoneElseOrForAnotherConversationOrNeverMadeIsNotFound() {
    String id = uploaded("u-1", "g-1", 500);

    assertEquals(
        ErrorCode.UPLOAD_NOT_FOUND,
        refusal(
            () -> store.claim("u-2", "g-1", List.of(png(id, 500))).toCompletableFuture().join()));
    assertEquals(
        ErrorCode.UPLOAD_NOT_FOUND,
        refusal(
            () -> store.claim("u-1", "g-2", List.of(png(id, 500))).toCompletableFuture().join()));
    assertEquals(
        ErrorCode.UPLOAD_NOT_FOUND,
        refusal(
            () ->
                store.claim("u-1", "g-1", List.of(png("never", 5))).toCompletableFuture().join()));
  }

  @Test
  void aConversationIdNoConversationCanHaveIsNotFoundNotAFailure() {
    assertEquals(
        ErrorCode.NOT_FOUND,
        refusal(
            () -> store.claim("u-1", "g/../x", List.of(png("a", 5))).toCompletableFuture().join()));
  }

  @Test
  void anUploadThatIsNotWhatTheMessageSaysIsRefusedAndStaysPending() {
    String id = uploaded("u-1", "g-1", 500);

    assertEquals(
        ErrorCode.UPLOAD_MISMATCH,
        refusal(
            () -> store.claim("u-1", "g-1", List.of(png(id, 499))).toCompletableFuture().join()));
    var pdf = new Attachment(id, "application/pdf", 500, "cat.pdf", null, null, null);
    assertEquals(
        ErrorCode.UPLOAD_MISMATCH,
        refusal(() -> store.claim("u-1", "g-1", List.of(pdf)).toCompletableFuture().join()));
    assertTrue(objects.objects.containsKey(AttachmentKeys.pending("g-1", "u-1", id)));
  }

  @Test
  void aMessageWithMoreAttachmentsThanAllowedOrABadIdIsRefusedBeforeTheStoreIsAsked() {
    List<Attachment> three = List.of(png("a", 1), png("b", 1), png("c", 1));
    assertEquals(ErrorCode.TOO_MANY_ATTACHMENTS, refusal(() -> store.claim("u-1", "g-1", three)));
    assertEquals(
        ErrorCode.BAD_REQUEST,
        refusal(() -> store.claim("u-1", "g-1", List.of(png("../../etc", 1)))));
    var bigPreview =
        new Attachment(
            "a", "image/png", 1, "a.png", 1, 1, "data:image/png;base64," + "A".repeat(99));
    assertEquals(
        ErrorCode.TOO_LARGE, refusal(() -> store.claim("u-1", "g-1", List.of(bigPreview))));
  }

  @Test
  void theSweepDeletesOnlyPendingUploadsWrittenBeforeTheCutOff() {
    String old = uploaded("u-1", "g-1", 5);
    String taken = uploaded("u-1", "g-1", 5);
    store.claim("u-1", "g-1", List.of(png(taken, 5))).toCompletableFuture().join();
    InMemoryObjectStore later = objects;

    int deleted = OrphanSweeper.sweep(later, T0.plusSeconds(1)).toCompletableFuture().join();

    assertEquals(1, deleted);
    assertFalse(objects.objects.containsKey(AttachmentKeys.pending("g-1", "u-1", old)));
    assertTrue(objects.objects.containsKey(AttachmentKeys.stored("g-1", "u-1", taken)));
    assertEquals(0, OrphanSweeper.sweep(objects, T0).toCompletableFuture().join());
  }
}
