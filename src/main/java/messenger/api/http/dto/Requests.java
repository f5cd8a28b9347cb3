package messenger.api.http.dto;

import java.util.List;

/** Request bodies of the HTTP API, one record each. */
public final class Requests {
  private Requests() {}

  public record Register(String username, String password, String displayName) {}

  public record Login(String username, String password) {}

  public record CreateConversation(String type, List<String> members) {}

  public record SendMessage(String clientMsgId, String body) {}
}
