package messenger.api.http;

import akka.actor.typed.ActorSystem;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import messenger.api.http.dto.Responses;

/**
 * Liveness (the process answers) and readiness (this node is an Up member of the cluster, so its
 * shards can be reached). Served at {@code /health/*} and {@code /api/v1/health/*}.
 */
public final class HealthRoutes extends AllDirectives {

  private final Cluster cluster;

  public HealthRoutes(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  public Route routes() {
    return pathPrefix(
        "health",
        () ->
            concat(
                path(
                    "alive",
                    () ->
                        get(
                            () ->
                                complete(
                                    StatusCodes.OK,
                                    new Responses.Health("alive"),
                                    Json.MARSHALLER))),
                path("ready", () -> get(this::ready))));
  }

  private Route ready() {
    boolean up = cluster.selfMember().status() == MemberStatus.up();
    return up
        ? complete(StatusCodes.OK, new Responses.Health("ready"), Json.MARSHALLER)
        : complete(
            StatusCodes.SERVICE_UNAVAILABLE, new Responses.Health("starting"), Json.MARSHALLER);
  }
}
