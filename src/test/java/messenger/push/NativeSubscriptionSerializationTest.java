package messenger.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import messenger.delivery.PushRegistration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A native registration goes into the journal as the Web Push ones do (Jackson CBOR, the record
 * unchanged), and comes back equal.
 */
class NativeSubscriptionSerializationTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "NativeSubscriptionSerializationTest",
          ConfigFactory.parseString(
                  "akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off")
              .withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void apnsAndFcmRegistrationsRoundTripThroughJacksonCbor() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    for (PushRegistration registration :
        java.util.List.of(
            new PushRegistration(PushSubscription.apns("ab".repeat(32)), true),
            new PushRegistration(PushSubscription.fcm("dXJ3:APA91bH_x-y"), false))) {
      var serializer = serialization.findSerializerFor(registration);
      assertEquals(akka.serialization.jackson.JacksonCborSerializer.class, serializer.getClass());
      byte[] bytes = serializer.toBinary(registration);
      Object back =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, registration))
              .get();
      assertEquals(registration, back);
    }
  }
}
