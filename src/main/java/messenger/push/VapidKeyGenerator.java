package messenger.push;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A new VAPID key pair as the environment variables a node reads ({@code
 * MESSENGER_VAPID_PUBLIC_KEY}, {@code MESSENGER_VAPID_PRIVATE_KEY}): the nodes of a cluster must
 * share one pair (a subscription made through one node is signed for by all), so it is made once,
 * outside any node. {@link #main} prints them as {@code NAME=value} lines
 * (cluster-deploy/local/start keeps them with the cluster's other secrets).
 */
public final class VapidKeyGenerator {
  private VapidKeyGenerator() {}

  public static Map<String, String> newPairAsEnvironment() {
    VapidKeys keys = VapidKeys.generate();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MESSENGER_VAPID_PUBLIC_KEY", keys.publicKeyBase64Url());
    env.put("MESSENGER_VAPID_PRIVATE_KEY", P256.base64Url(P256.encode(keys.privateKey())));
    return env;
  }

  public static void main(String[] args) {
    newPairAsEnvironment().forEach((name, value) -> System.out.println(name + "=" + value));
  }
}
