// request() and requestMany(): the core sends them, routes their replies and decides when
// each ends (its deadline, no responders, a strategy's end, a refused publish); this keeps
// the Promise or the iterator each one answers to, in `nc._requests` by request id:
// `{ reply(msg), fail(err), done() }` (`done` only for many replies).
import { MANY_COUNT, MANY_JITTER, MANY_ONE, MANY_SENTINEL, MANY_TIMER, OP_CANCEL_REQUEST } from "./interface.js";
import { ErrorCode, RequestStrategy } from "./enums.js";
import { NatsError, fromCore, ok } from "./errors.js";
import { toBytes } from "./codecs.js";
import { headerBytes } from "./headers.js";
import { createInbox } from "./nuid.js";
import { QueuedIterator } from "./iterator.js";
import { numberOption } from "./options.js";

/** nats.ws `RequestStrategy` values as the core's `many` (src/interface.rs). */
const STRATEGIES = {
  [RequestStrategy.Timer]: MANY_TIMER,
  [RequestStrategy.Count]: MANY_COUNT,
  [RequestStrategy.JitterTimer]: MANY_JITTER,
  [RequestStrategy.SentinelMsg]: MANY_SENTINEL,
};

/** Sends a request: through the mux, or with `noMux` on an inbox of its own. Returns its id. */
function send(nc, subject, data, opts, timeout, how, limit) {
  const inbox = opts.noMux ? opts.reply || createInbox(nc.options.inboxPrefix) : undefined;
  const conn = nc._conn;
  return ok(conn, conn.request(subject, inbox, headerBytes(opts.headers), toBytes(data), timeout, how, limit));
}

/** nats.ws `request()`: resolves with the first reply. */
export function request(nc, subject, data, opts) {
  try {
    nc._check(subject, true);
    opts = opts || {};
    if (!opts.noMux && opts.reply) {
      throw new NatsError("reply can only be used with noMux", ErrorCode.InvalidOption);
    }
    const id = send(nc, subject, data, opts, numberOption(opts.timeout, 1000), MANY_ONE, 0);
    return new Promise((reply, fail) => nc._requests.set(id, { reply, fail, done: undefined }));
  } catch (e) {
    return Promise.reject(fromCore(e));
  }
}

/** nats.ws `requestMany()`: an iterator of replies, ended as `opts.strategy` says. */
export function requestMany(nc, subject, data, opts) {
  try {
    nc._check(subject, true);
    opts = opts || {};
    const how = STRATEGIES[opts.strategy || RequestStrategy.Timer] ?? MANY_TIMER;
    // nats.ws: a count of -1 (the default) or less means none; jitter defaults to 300 ms.
    const limit = how === MANY_COUNT
      ? numberOption(opts.maxMessages, -1)
      : how === MANY_JITTER ? numberOption(opts.jitter, 300) : 0;
    const id = send(nc, subject, data, opts, numberOption(opts.maxWait, 1000), how, limit);
    const iter = new QueuedIterator();
    // The connection takes the entry out before it calls `fail` or `done`.
    nc._requests.set(id, {
      reply: (msg) => {
        iter.received++;
        iter._offer(msg);
      },
      fail: (err) => iter.stop(err),
      done: () => iter.stop(),
    });
    // The consumer left the loop: the core stops waiting for replies.
    iter.iterClosed.then(() => {
      if (nc._requests.delete(id)) nc._conn?.control(OP_CANCEL_REQUEST, id);
    });
    return Promise.resolve(iter);
  } catch (e) {
    return Promise.reject(fromCore(e));
  }
}
