package messenger.safety;

import com.typesafe.config.Config;

/**
 * The {@code messenger.safety} block.
 *
 * @param maxBlocks the most users one user may block (beyond: too_many_blocks)
 */
public record SafetySettings(int maxBlocks) {

  public static SafetySettings from(Config messenger) {
    Config safety = messenger.getConfig("safety");
    return new SafetySettings(safety.getInt("max-blocks"));
  }
}
