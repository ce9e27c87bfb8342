// Payload codecs and the text encoder/decoder every module shares.
import { ErrorCode } from "./enums.js";
import { NatsError, codeError } from "./errors.js";

/** UTF-8 both ways, one of each for the whole package. */
export const TE = new TextEncoder();
export const TD = new TextDecoder();

/** An empty payload. */
export const Empty = new Uint8Array(0);

/** Encodes and decodes strings as UTF-8. */
export function StringCodec() {
  return {
    encode(d) {
      return TE.encode(d);
    },
    decode(a) {
      return TD.decode(a);
    },
  };
}

/** Encodes and decodes JSON; errors are `BAD_JSON`. */
export function JSONCodec(reviver) {
  return {
    encode(d) {
      try {
        if (d === undefined) d = null;
        return TE.encode(JSON.stringify(d));
      } catch (err) {
        throw NatsError.errorForCode(ErrorCode.BadJson, err);
      }
    },
    decode(a) {
      try {
        return JSON.parse(TD.decode(a), reviver);
      } catch (err) {
        throw NatsError.errorForCode(ErrorCode.BadJson, err);
      }
    },
  };
}

/** A publish payload as bytes: `BAD_PAYLOAD` for what is neither bytes, a string nor absent. */
export function toBytes(payload) {
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === "string") return TE.encode(payload);
  if (payload === undefined) return Empty;
  throw codeError(ErrorCode.BadPayload);
}
