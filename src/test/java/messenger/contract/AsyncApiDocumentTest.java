package messenger.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import messenger.contract.Contracts.Direction;
import org.junit.jupiter.api.Test;

/** The frame schemas are not vacuous: they take the frames the protocol names and refuse others. */
class AsyncApiDocumentTest {

  @Test
  void clientFramesOfTheProtocolConformAndBrokenOnesDoNot() {
    for (String ok :
        new String[] {
          "{\"type\":\"send\",\"clientMsgId\":\"c-1\",\"conversationId\":\"d-1\",\"body\":\"hi\"}",
          "{\"type\":\"ack\",\"cursor\":42}",
          "{\"type\":\"sync\",\"after\":0}",
          "{\"type\":\"ping\"}",
          "{\"type\":\"pong\"}",
          "{\"type\":\"typing\",\"conversationId\":\"g-1\"}",
          "{\"type\":\"read\",\"conversationId\":\"g-1\",\"seq\":17}"
        }) {
      assertEquals(java.util.List.of(), Contracts.frameProblems(Direction.CLIENT, ok));
    }
    for (String broken :
        new String[] {
          "{\"type\":\"send\",\"clientMsgId\":\"c-1\",\"conversationId\":\"d-1\",\"body\":7}",
          "{\"type\":\"send\",\"clientMsgId\":\"\",\"conversationId\":\"d-1\",\"body\":\"hi\"}",
          "{\"type\":\"ack\",\"cursor\":-1}",
          "{\"type\":\"ack\"}",
          "{\"type\":\"read\",\"conversationId\":\"\",\"seq\":1}",
          "{\"type\":\"nope\"}"
        }) {
      assertFalse(Contracts.frameProblems(Direction.CLIENT, broken).isEmpty(), broken);
    }
  }

  @Test
  void everyFrameTypeHasOneSchemaPerDirection() {
    for (String type : new String[] {"send", "ack", "sync", "ping", "pong", "typing", "read"}) {
      assertTrue(Contracts.frameSchema(Direction.CLIENT, type).isPresent(), type);
    }
    for (String type :
        new String[] {
          "messages", "sent", "error", "ping", "pong", "typing", "receipt", "receipts", "presence"
        }) {
      assertTrue(Contracts.frameSchema(Direction.SERVER, type).isPresent(), type);
    }
    assertTrue(Contracts.frameSchema(Direction.SERVER, "send").isEmpty());
  }

  @Test
  void theAsyncApiDocumentConformsToThePublishedAsyncApi300Schema() {
    assertEquals(
        java.util.List.of(),
        Contracts.metaSchemaProblems("asyncapi-3.0.0.schema.json", Contracts.asyncApiText()));
  }

  /** The check above could not pass by seeing nothing: a misspelt operation action is refused. */
  @Test
  void anUnknownOperationActionIsRefusedByTheAsyncApiSchema() {
    String broken =
        Contracts.asyncApiText().replace("\"action\": \"receive\"", "\"action\": \"get\"");
    assertFalse(Contracts.metaSchemaProblems("asyncapi-3.0.0.schema.json", broken).isEmpty());
  }

  @Test
  void theAsyncApiDocumentIsVersion300WithBothOperations() {
    var doc = Contracts.asyncApi();
    assertEquals("3.0.0", doc.path("asyncapi").asText());
    assertEquals("receive", doc.at("/operations/receiveClientFrames/action").asText());
    assertEquals("send", doc.at("/operations/sendServerFrames/action").asText());
  }
}
