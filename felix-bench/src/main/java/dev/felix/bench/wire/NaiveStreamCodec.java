package dev.felix.bench.wire;

import dev.felix.wire.FrameHeader;
import dev.felix.wire.MessageType;
import dev.felix.wire.ProtocolVersion;
import dev.felix.wire.message.PublishTarget;
import dev.felix.wire.message.RecordCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The PublishBatch layout written and read the way a first version would do it with {@code
 * java.io}: {@link DataOutputStream} over a growing {@link ByteArrayOutputStream}, and {@link
 * DataInputStream} copying every payload into its own array. It produces and accepts the same bytes
 * as Felix (checked in each benchmark's setup) but validates nothing; it is a comparison, not a
 * codec. Records have no key and no headers, as in {@link WireFixtures}.
 */
final class NaiveStreamCodec {
  private NaiveStreamCodec() {}

  /** The whole frame: payload into one stream first, because the header needs its length. */
  static byte[] encodePublishBatch(int requestId, PublishTarget target, byte[][] payloads) {
    try {
      ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
      DataOutputStream payload = new DataOutputStream(payloadBytes);
      writeName(payload, target.stream().tenant());
      writeName(payload, target.stream().namespace());
      writeName(payload, target.stream().stream());
      payload.writeInt(target.shard());
      payload.writeLong(target.producerId());
      payload.writeLong(target.sequence());
      payload.writeByte(target.ackMode().code());
      payload.writeInt(payloads.length);
      for (int i = 0; i < payloads.length; i++) {
        payload.writeInt(RecordCodec.MIN_BODY + payloads[i].length);
        payload.writeByte(0);
        payload.writeInt(i);
        payload.writeLong(0L);
        payload.writeShort(0);
        payload.write(payloads[i]);
      }
      payload.flush();

      ByteArrayOutputStream frameBytes =
          new ByteArrayOutputStream(FrameHeader.LENGTH + payloadBytes.size());
      DataOutputStream frame = new DataOutputStream(frameBytes);
      frame.writeShort(FrameHeader.MAGIC);
      frame.writeByte(ProtocolVersion.CURRENT);
      frame.writeByte(MessageType.PUBLISH_BATCH.code());
      frame.writeShort(0);
      frame.writeByte(0);
      frame.writeByte(0);
      frame.writeInt(payloadBytes.size());
      frame.writeInt(requestId);
      payloadBytes.writeTo(frame);
      frame.flush();
      return frameBytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a PublishBatch frame field by field and copies each payload into a new array; returns a
   * checksum of offset deltas and payload lengths so that nothing read is dead code.
   */
  static long decodePublishBatch(byte[] frameBytes) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(frameBytes));
      in.skipBytes(FrameHeader.LENGTH);
      readName(in);
      readName(in);
      readName(in);
      long checksum = in.readInt();
      checksum += in.readLong();
      checksum += in.readLong();
      checksum += in.readUnsignedByte();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        in.readUnsignedByte();
        int offsetDelta = in.readInt();
        checksum += in.readLong();
        in.readUnsignedShort();
        byte[] payload = new byte[length - RecordCodec.MIN_BODY];
        in.readFully(payload);
        checksum += offsetDelta + payload.length + (payload.length > 0 ? payload[0] : 0);
      }
      return checksum;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeName(DataOutputStream out, String name) throws IOException {
    out.writeByte(name.length());
    out.writeBytes(name);
  }

  private static String readName(DataInputStream in) throws IOException {
    byte[] name = new byte[in.readUnsignedByte()];
    in.readFully(name);
    return new String(name, StandardCharsets.US_ASCII);
  }
}
