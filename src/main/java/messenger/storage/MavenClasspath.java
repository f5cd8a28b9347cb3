package messenger.storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class path of an artifact and its runtime dependencies, resolved from Maven Central into the
 * local Maven repository and cached in a file, so that only the first start of a given version on a
 * machine pays for resolution (and the download). The tools the server runs as child JVMs
 * (Cassandra, S3Proxy) get their jars this way: their dependency trees would clash with ours on one
 * class path.
 */
final class MavenClasspath {

  private static final Logger log = LoggerFactory.getLogger(MavenClasspath.class);

  private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

  private MavenClasspath() {}

  /**
   * Returns the class path of {@code coordinates} ({@code group:artifact:version}), read from
   * {@code cacheFile} when every jar it lists is still there, otherwise resolved and written to
   * {@code cacheFile}.
   *
   * @param firstDownload what the first resolution downloads, for the log ("about 66 MB")
   */
  static String of(String coordinates, Path cacheFile, String firstDownload) throws IOException {
    Optional<String> cached = readCache(cacheFile);
    if (cached.isPresent()) return cached.get();

    long started = System.nanoTime();
    log.info("Resolving {} (the first time downloads {})", coordinates, firstDownload);
    List<Path> jars = resolve(coordinates);
    String classpath = String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
    writeAtomically(cacheFile, classpath);
    log.info(
        "Resolved {} jars for {} in {} ms",
        jars.size(),
        coordinates,
        (System.nanoTime() - started) / 1_000_000);
    return classpath;
  }

  private static Optional<String> readCache(Path cacheFile) throws IOException {
    if (!Files.isRegularFile(cacheFile)) return Optional.empty();
    String classpath = Files.readString(cacheFile, StandardCharsets.UTF_8).strip();
    // A cleaned or moved local repository leaves the cache pointing at nothing: resolve again.
    boolean complete =
        !classpath.isEmpty()
            && Arrays.stream(classpath.split(File.pathSeparator))
                .allMatch(jar -> Files.isRegularFile(Path.of(jar)));
    return complete ? Optional.of(classpath) : Optional.empty();
  }

  private static List<Path> resolve(String coordinates) throws IOException {
    RepositorySystem system = new RepositorySystemSupplier().get();
    try {
      DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
      // POM profiles may activate on java.version and friends, as they do inside Maven.
      session.setSystemProperties(System.getProperties());
      session.setLocalRepositoryManager(
          system.newLocalRepositoryManager(
              session, new LocalRepository(localRepository().toFile())));

      // The id must be "central": artifacts Maven itself downloaded are recorded under that id,
      // and the local repository only hands them out to a remote repository of the same id.
      RemoteRepository central =
          new RemoteRepository.Builder("central", "default", CENTRAL).build();
      CollectRequest collect =
          new CollectRequest(
              new Dependency(new DefaultArtifact(coordinates), JavaScopes.RUNTIME),
              List.of(central));
      DependencyRequest request =
          new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));

      return system.resolveDependencies(session, request).getArtifactResults().stream()
          .map(ArtifactResult::getArtifact)
          .map(artifact -> artifact.getFile().toPath())
          .toList();
    } catch (DependencyResolutionException e) {
      throw new IOException("Could not resolve " + coordinates, e);
    } finally {
      system.shutdown();
    }
  }

  private static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp =
        Files.createTempFile(
            file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
