package messenger.push;

/**
 * Prints a new VAPID key pair as {@code MESSENGER_VAPID_PUBLIC_KEY=...} and {@code
 * MESSENGER_VAPID_PRIVATE_KEY=...} lines: the nodes of a cluster must share one pair (a
 * subscription made through one node is signed for by all), so it is made once, outside any node
 * (cluster-deploy/local/start keeps it with the cluster's other secrets).
 */
public final class VapidKeyGenerator {
  private VapidKeyGenerator() {}

  public static void main(String[] args) {
    VapidKeys keys = VapidKeys.generate();
    System.out.println("MESSENGER_VAPID_PUBLIC_KEY=" + keys.publicKeyBase64Url());
    System.out.println("MESSENGER_VAPID_PRIVATE_KEY=" + P256.base64Url(P256.encode(keys.privateKey())));
  }
}
