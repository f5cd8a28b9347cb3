package messenger.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold a node's generated secrets (token key, VAPID keys, object store keys). */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * Writes {@code content} to {@code file} unless the file exists. It is written in full under a
   * temporary name, readable by the owner only, and then renamed, so a crash never leaves a
   * half-written secret behind; if another process on the same data dir wins the race, its file
   * stays and this content is dropped.
   */
  public static void writeOnce(Path file, String content) throws IOException {
    Path tmp = ownerOnlyTemp(file, content);
    try {
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException raceLost) {
      // The other process's secret is the one everybody uses.
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes {@code content} to {@code file}, replacing what is there, readable by the owner only: a
   * file derived from secrets at each start (a child process's configuration with its password).
   */
  public static void replace(Path file, String content) throws IOException {
    Path tmp = ownerOnlyTemp(file, content);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path ownerOnlyTemp(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    String prefix = file.getFileName().toString();
    Path tmp;
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      tmp =
          Files.createTempFile(
              dir,
              prefix,
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, prefix, ".tmp");
    }
    try {
      Files.writeString(tmp, content);
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
