package messenger.api.http;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import messenger.api.http.dto.Responses;
import messenger.safety.BlockService;

/**
 * {@code /api/v1/blocks}: the users an authenticated user blocks (docs/protocol.md, "Blocking").
 */
public final class BlockRoutes extends AllDirectives {

  private final BlockService blocks;

  public BlockRoutes(BlockService blocks) {
    this.blocks = blocks;
  }

  public Route blocks(String userId) {
    return concat(
        pathEnd(() -> get(() -> list(userId))),
        path(
            PathMatchers.segment(),
            other ->
                concat(
                    put(
                        () ->
                            onSuccess(
                                blocks.block(userId, other),
                                done -> complete(StatusCodes.NO_CONTENT))),
                    delete(
                        () ->
                            onSuccess(
                                blocks.unblock(userId, other),
                                done -> complete(StatusCodes.NO_CONTENT))))));
  }

  private Route list(String userId) {
    return onSuccess(
        blocks.list(userId),
        entries ->
            complete(
                StatusCodes.OK,
                new Responses.Blocks(
                    entries.stream()
                        .map(e -> new Responses.BlockedUser(e.userId(), e.since()))
                        .toList()),
                Json.MARSHALLER));
  }
}
