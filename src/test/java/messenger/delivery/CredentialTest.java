package messenger.delivery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void aNewGenerationEndsOlderTokensButTheKeptOne() {
    var revoked = new DeviceMessage.Revoked(2, null, "kept");

    assertTrue(new Credential("other", 1, null).isRevokedBy(revoked));
    assertFalse(new Credential("kept", 1, null).isRevokedBy(revoked));
    assertFalse(new Credential("newer", 2, null).isRevokedBy(revoked));
  }

  @Test
  void revokingOneTokenEndsThatTokenAloneEvenIfItWasKept() {
    var revoked = new DeviceMessage.Revoked(2, "kept", null);

    assertTrue(new Credential("kept", 1, null).isRevokedBy(revoked));
    assertFalse(new Credential("other", 2, null).isRevokedBy(revoked));
  }

  @Test
  void aLoggedOutDeviceEndsWhateverTokenItUses() {
    assertTrue(new Credential("any", 7, null).isRevokedBy(DeviceMessage.Revoked.everyToken()));
    assertTrue(new Credential(null, 0, null).isRevokedBy(DeviceMessage.Revoked.everyToken()));
  }
}
