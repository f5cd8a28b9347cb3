package messenger.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import messenger.DomainException;
import messenger.ErrorCode;
import org.junit.jupiter.api.Test;

/** Profile pictures in the store, with the in-memory store of the unit tests. */
class AvatarStoreTest {

  private final InMemoryObjectStore objects = new InMemoryObjectStore(Clock.systemUTC());
  private final AvatarStore avatars = new AvatarStore(objects);

  private static ErrorCode refusal(Runnable action) {
    return assertThrows(DomainException.class, action::run).code();
  }

  private static ErrorCode refusal(CompletionStage<?> stage) {
    var failure = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    return ((DomainException) failure.getCause()).code();
  }

  @Test
  void anUploadedImageBecomesThePictureUnderItsOwnKeyAndTheUploadGoes() {
    var ticket = avatars.signUpload("u-1", "image/png", 2048);
    String pending = "pending/avatars/u-1/" + ticket.uploadId();
    assertTrue(ticket.upload().url().endsWith(pending), ticket.upload().url());
    objects.put(pending, 2048, "image/png");

    var picture = avatars.claim("u-1", ticket.uploadId()).toCompletableFuture().join();

    assertEquals(new AvatarStore.Picture(ticket.uploadId(), "image/png"), picture);
    assertTrue(objects.objects.containsKey("avatars/u-1/" + ticket.uploadId()));
    assertFalse(objects.objects.containsKey(pending));
    // A retry finds it taken and succeeds again.
    assertEquals(picture, avatars.claim("u-1", ticket.uploadId()).toCompletableFuture().join());
    avatars.forget("u-1", picture.id()).toCompletableFuture().join();
    assertTrue(objects.objects.isEmpty());
  }

  @Test
  void onlySmallImagesAreSignedAndClaimed() {
    assertEquals(
        ErrorCode.TYPE_NOT_ALLOWED, refusal(() -> avatars.signUpload("u-1", "text/html", 10)));
    assertEquals(
        ErrorCode.TOO_LARGE,
        refusal(() -> avatars.signUpload("u-1", "image/png", AvatarStore.MAX_BYTES + 1)));

    var ticket = avatars.signUpload("u-1", "image/jpeg", 100);
    objects.put("pending/avatars/u-1/" + ticket.uploadId(), 100, "text/html");
    assertEquals(ErrorCode.TYPE_NOT_ALLOWED, refusal(avatars.claim("u-1", ticket.uploadId())));
    assertEquals(ErrorCode.UPLOAD_NOT_FOUND, refusal(avatars.claim("u-1", "never-uploaded")));
    assertEquals(ErrorCode.UPLOAD_NOT_FOUND, refusal(avatars.claim("u-2", ticket.uploadId())));
  }
}
