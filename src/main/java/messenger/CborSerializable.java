package messenger;

/**
 * Marker for every message, event and snapshot that crosses actors, nodes or the journal. It is
 * bound to Jackson CBOR in {@code conf/serialization.conf}; Java serialization is switched off.
 */
public interface CborSerializable {}
