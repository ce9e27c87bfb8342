// Small utilities nats.ws exports.

/** A Promise with its `resolve` and `reject` attached. */
export function deferred() {
  let methods = {};
  const p = new Promise((resolve, reject) => (methods = { resolve, reject }));
  return Object.assign(p, methods);
}

/** Resolves after `ms` milliseconds; `cancel()` stops the timer. */
export function delay(ms = 0) {
  let cancel;
  const p = new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => clearTimeout(timer);
  });
  return Object.assign(p, { cancel });
}

/** Rejects with "deadline exceeded" unless `p` settles within `millis`. */
export function deadline(p, millis = 1000) {
  const d = deferred();
  const timer = setTimeout(() => d.reject(new Error("deadline exceeded")), millis);
  return Promise.race([p, d]).finally(() => clearTimeout(timer));
}

/** Milliseconds to nanoseconds (JetStream durations). */
export function nanos(millis) {
  return millis * 1000000;
}

/** Nanoseconds to whole milliseconds. */
export function millis(ns) {
  return Math.floor(ns / 1000000);
}

/** A retry-delay policy with jitter: `backoff(attempt)` in milliseconds. */
export function backoff(policy = [0, 250, 250, 500, 500, 3000, 5000]) {
  if (!Array.isArray(policy)) policy = [0, 250, 250, 500, 500, 3000, 5000];
  const max = policy.length - 1;
  return {
    backoff(attempt) {
      const n = attempt > max ? policy[max] : policy[attempt];
      return n === 0 ? 0 : Math.floor(n / 2 + Math.random() * n);
    },
  };
}

/** Wraps an async iterable so each `next()` resolves to a value or `null` when done. */
export function syncIterator(src) {
  const iter = src[Symbol.asyncIterator]();
  return {
    async next() {
      const m = await iter.next();
      return m.done ? null : m.value;
    },
  };
}
