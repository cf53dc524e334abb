package dev.felix.wire;

import dev.felix.wire.message.Message;

/**
 * One decoded frame: the request id from the header and the message from the payload.
 *
 * @param requestId chosen by the requester, echoed by the response; 0 for unsolicited frames
 * @param message the decoded payload
 */
public record Frame(int requestId, Message message) {
  public MessageType type() {
    return message.type();
  }
}
