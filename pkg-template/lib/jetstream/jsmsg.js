// JsMsg: a message from a JetStream consumer, with what its ack subject says (parsed by the
// core, handed over as the message's ack record) and the ways to acknowledge it.
import {
  ACK_ACCOUNT, ACK_CONSUMER, ACK_CONSUMER_SEQ, ACK_DELIVERED, ACK_DOMAIN, ACK_PENDING, ACK_STREAM,
  ACK_STREAM_SEQ, ACK_TIMESTAMP,
} from "../interface.js";
import { lib } from "../shared.js";

const ACK = "+ACK";
const NAK = "-NAK";
const WPI = "+WPI";
const TERM = "+TERM";
const NXT = "+NXT";

/** nats.ws `JsMsg`. `msg` is the received `Msg`; its `_ack` is the core's ack record. */
export class JsMsg {
  constructor(msg, timeout) {
    this.msg = msg;
    this.didAck = false;
    this.timeout = timeout;
    this._info = undefined;
  }
  get subject() {
    return this.msg.subject;
  }
  get sid() {
    return this.msg.sid;
  }
  get data() {
    return this.msg.data;
  }
  get headers() {
    return this.msg.headers;
  }
  get reply() {
    return this.msg.reply || "";
  }
  /** nats.ws `DeliveryInfo`, built on first use from the ack record. */
  get info() {
    return (this._info ??= deliveryInfo(this.msg));
  }
  get redelivered() {
    return this._number(ACK_DELIVERED) > 1;
  }
  get seq() {
    return this._number(ACK_STREAM_SEQ);
  }
  _number(at) {
    const a = this.msg._ack;
    if (a === undefined) throw new Error("not js message");
    return a[at];
  }
  /** Sends `payload` to the ack subject, once (a `working()` does not count as the once). */
  _ack(payload) {
    if (this.didAck) return;
    this.didAck = payload !== WPI;
    this.msg.respond(lib.TE.encode(payload));
  }
  ack() {
    this._ack(ACK);
  }
  nak(millis) {
    this._ack(millis ? `${NAK} ${JSON.stringify({ delay: lib.nanos(millis) })}` : NAK);
  }
  working() {
    this._ack(WPI);
  }
  term(reason = "") {
    this._ack(reason?.length > 0 ? `${TERM} ${reason}` : TERM);
  }
  /** Asks the next message(s) to be sent to `subj` (the reply, by default) as it acks. */
  next(subj, opts = { batch: 1 }) {
    const args = { batch: opts.batch || 1, no_wait: opts.no_wait || false };
    if (opts.expires > 0) args.expires = lib.nanos(opts.expires);
    this.msg.respond(lib.TE.encode(`${NXT} ${JSON.stringify(args)}`), subj ? { reply: subj } : undefined);
  }
  /** Acks and waits for the server to confirm it: true once it did, false if already acked. */
  async ackAck(opts) {
    if (this.didAck) return false;
    this.didAck = true;
    if (!this.msg.reply) return false;
    await this.msg._nc.request(this.msg.reply, lib.TE.encode(ACK), { timeout: opts?.timeout || this.timeout });
    return true;
  }
  json() {
    return this.msg.json();
  }
  string() {
    return this.msg.string();
  }
}

/** nats.ws's `info` of a consumer's message: names from the reply, numbers from the record. */
function deliveryInfo(msg) {
  const a = msg._ack;
  if (a === undefined) throw new Error("not js message");
  const name = (at) => msg._text(msg._ro + a[at], a[at + 1]);
  const delivered = a[ACK_DELIVERED];
  return {
    domain: name(ACK_DOMAIN),
    account_hash: name(ACK_ACCOUNT),
    stream: name(ACK_STREAM),
    consumer: name(ACK_CONSUMER),
    deliveryCount: delivered,
    redeliveryCount: delivered,
    redelivered: delivered > 1,
    streamSequence: a[ACK_STREAM_SEQ],
    deliverySequence: a[ACK_CONSUMER_SEQ],
    timestampNanos: a[ACK_TIMESTAMP],
    pending: a[ACK_PENDING],
  };
}
