// request() and requestMany(): replies routed to one Promise or one iterator.
import { OP_CANCEL_REQUEST } from "./interface.js";
import { ErrorCode, RequestStrategy } from "./enums.js";
import { NatsError, codeError, fromCore, ok } from "./errors.js";
import { toBytes } from "./codecs.js";
import { headerBytes } from "./headers.js";
import { createInbox } from "./nuid.js";
import { QueuedIterator } from "./iterator.js";
import { Msg, isNoResponders } from "./msg.js";

/** A delivery row that answers request `id`. */
export function onReply(nc, id, table, row, bytes) {
  const r = nc._requests.get(id);
  if (r === undefined) return;
  if (isNoResponders(table, row)) {
    nc._requests.delete(id);
    if (r.many) nc._conn?.control(OP_CANCEL_REQUEST, id);
    r.fail(codeError(ErrorCode.NoResponders));
    return;
  }
  if (!r.many) nc._requests.delete(id);
  r.reply(new Msg(nc, table, row, bytes));
}

/** nats.ws `request()`: one reply, through the core's shared reply subscription unless `noMux`. */
export function request(nc, subject, data, opts) {
  try {
    nc._check(subject, true, true);
  } catch (err) {
    return Promise.reject(err);
  }
  opts = opts || {};
  const timeout = opts.timeout || 1000;
  if (timeout < 1) return Promise.reject(new NatsError("timeout", ErrorCode.InvalidOption));
  if (!opts.noMux && opts.reply) {
    return Promise.reject(new NatsError("reply can only be used with noMux", ErrorCode.InvalidOption));
  }
  if (opts.noMux) return requestNoMux(nc, subject, data, opts, timeout);
  return new Promise((resolve, reject) => {
    const id = ok(nc._conn, nc._conn.request(subject, headerBytes(opts.headers), toBytes(data), timeout, false));
    nc._requests.set(id, { many: false, reply: resolve, fail: reject });
  }).catch((e) => {
    throw fromCore(e);
  });
}

/** A request on an inbox subscription of its own. */
function requestNoMux(nc, subject, data, opts, timeout) {
  return new Promise((resolve, reject) => {
    const inbox = opts.reply ? opts.reply : createInbox(nc.options.inboxPrefix);
    const sub = nc.subscribe(inbox, {
      max: 1,
      timeout,
      callback: (err, msg) => {
        if (err) return reject(err);
        if (msg.data.length === 0 && msg.headers?.code === 503) return reject(codeError(ErrorCode.NoResponders));
        resolve(msg);
      },
    });
    sub.requestSubject = subject;
    // Closed without a reply (the connection closed): fail rather than wait forever.
    sub.closed.then(() => reject(codeError(ErrorCode.Timeout)));
    try {
      nc.publish(subject, data, { reply: inbox, headers: opts.headers });
    } catch (err) {
      sub.unsubscribe();
      reject(err);
    }
  });
}

/** nats.ws `requestMany()`: an iterator of replies, ended per `opts.strategy`. */
export function requestMany(nc, subject, data, opts) {
  try {
    nc._check(subject, true, true);
  } catch (err) {
    return Promise.reject(err);
  }
  opts = opts || {};
  const strategy = opts.strategy || RequestStrategy.Timer;
  const maxWait = opts.maxWait || 1000;
  if (maxWait < 1) return Promise.reject(new NatsError("timeout", ErrorCode.InvalidOption));
  const maxMessages = typeof opts.maxMessages === "number" && opts.maxMessages > 0 ? opts.maxMessages : -1;
  const qi = new QueuedIterator();
  let jitterTimer = null;
  let count = 0;
  let finish = () => {};
  // Called for every reply; decides, per strategy, whether nc one is the last.
  const onMsg = (msg) => {
    qi.received++;
    qi._offer(msg);
    count++;
    if (strategy === RequestStrategy.Count && count === maxMessages) return finish();
    if (strategy === RequestStrategy.SentinelMsg && msg.data.length === 0) return finish();
    if (strategy === RequestStrategy.JitterTimer) {
      clearTimeout(jitterTimer);
      jitterTimer = setTimeout(() => finish(), opts.jitter || 300);
    }
  };
  try {
    if (opts.noMux) {
      const inbox = createInbox(nc.options.inboxPrefix);
      let timer = null;
      const sub = nc.subscribe(inbox, {
        max: strategy === RequestStrategy.Count && maxMessages > 0 ? maxMessages : undefined,
        callback: (err, msg) => {
          if (err) return finish(err);
          if (msg.data.length === 0 && msg.headers?.code === 503) return finish(codeError(ErrorCode.NoResponders));
          onMsg(msg);
        },
      });
      sub.requestSubject = subject;
      finish = (err) => {
        clearTimeout(timer);
        clearTimeout(jitterTimer);
        if (!sub.isClosed() && !nc._closedFlag) sub.unsubscribe();
        qi.stop(err);
      };
      sub.closed.then(() => finish());
      timer = setTimeout(() => finish(), maxWait);
      nc.publish(subject, data, { reply: inbox, headers: opts.headers });
    } else {
      const id = ok(nc._conn, nc._conn.request(subject, headerBytes(opts.headers), toBytes(data), maxWait, true));
      finish = (err, closing) => {
        clearTimeout(jitterTimer);
        if (nc._requests.delete(id)) nc._conn?.control(OP_CANCEL_REQUEST, id);
        // The core ends a many-request at maxWait with TIMEOUT: for requestMany that is the
        // normal end of the Timer strategy, not an error. At close it is one (as in nats.ws).
        qi.stop(closing || (err && err.code !== ErrorCode.Timeout) ? err : undefined);
      };
      nc._requests.set(id, { many: true, reply: onMsg, fail: finish });
    }
  } catch (e) {
    return Promise.reject(fromCore(e));
  }
  qi.iterClosed.then(() => finish());
  return Promise.resolve(qi);
}
