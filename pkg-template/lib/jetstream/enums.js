// JetStream's enums: plain objects with nats.ws's exact keys and strings (its TypeScript enums
// are plain too). Exported by the main module (users import them synchronously, as from
// nats.ws); the JetStream chunk carries its own copy (they have no identity to share), so
// this module imports nothing.

/** Stream retention (`StreamConfig.retention`). */
export const RetentionPolicy = { Limits: "limits", Interest: "interest", Workqueue: "workqueue" };

/** What a full stream discards (`StreamConfig.discard`). */
export const DiscardPolicy = { Old: "old", New: "new" };

/** Stream storage (`StreamConfig.storage`). */
export const StorageType = { File: "file", Memory: "memory" };

/** Where a consumer starts (`ConsumerConfig.deliver_policy`). */
export const DeliverPolicy = {
  All: "all",
  Last: "last",
  New: "new",
  StartSequence: "by_start_sequence",
  StartTime: "by_start_time",
  LastPerSubject: "last_per_subject",
};

/** How a consumer's messages are acknowledged (`ConsumerConfig.ack_policy`). */
export const AckPolicy = { None: "none", All: "all", Explicit: "explicit", NotSet: "" };

/** How a consumer replays (`ConsumerConfig.replay_policy`). */
export const ReplayPolicy = { Instant: "instant", Original: "original" };

/** Stream compression (`StreamConfig.compression`, server 2.10+). */
export const StoreCompression = { None: "none", S2: "s2" };

/** The last token of an advisory's `type`: `Advisory.kind` from `jsm.advisories()`. */
export const AdvisoryKind = {
  API: "api_audit",
  StreamAction: "stream_action",
  ConsumerAction: "consumer_action",
  SnapshotCreate: "snapshot_create",
  SnapshotComplete: "snapshot_complete",
  RestoreCreate: "restore_create",
  RestoreComplete: "restore_complete",
  MaxDeliver: "max_deliver",
  Terminated: "terminated",
  Ack: "consumer_ack",
  StreamLeaderElected: "stream_leader_elected",
  StreamQuorumLost: "stream_quorum_lost",
  ConsumerLeaderElected: "consumer_leader_elected",
  ConsumerQuorumLost: "consumer_quorum_lost",
};

/** Header names (and rollup values) the server sets or reads on JetStream messages. */
export const JsHeaders = {
  StreamSourceHdr: "Nats-Stream-Source",
  LastConsumerSeqHdr: "Nats-Last-Consumer",
  LastStreamSeqHdr: "Nats-Last-Stream",
  ConsumerStalledHdr: "Nats-Consumer-Stalled",
  MessageSizeHdr: "Nats-Msg-Size",
  RollupHdr: "Nats-Rollup",
  RollupValueSubject: "sub",
  RollupValueAll: "all",
  PendingMessagesHdr: "Nats-Pending-Messages",
  PendingBytesHdr: "Nats-Pending-Bytes",
};

/** What a KV watch starts with (nats.ws exports it with the JetStream enums). */
export const KvWatchInclude = { LastValue: "", AllHistory: "history", UpdatesOnly: "updates" };

/** Headers of a direct-get reply. */
export const DirectMsgHeaders = {
  Stream: "Nats-Stream",
  Sequence: "Nats-Sequence",
  TimeStamp: "Nats-Time-Stamp",
  Subject: "Nats-Subject",
};

/** Headers of a message republished by a stream (`StreamConfig.republish`). */
export const RepublishHeaders = {
  Stream: "Nats-Stream",
  Subject: "Nats-Subject",
  Sequence: "Nats-Sequence",
  LastSequence: "Nats-Last-Sequence",
  Size: "Nats-Msg-Size",
};

/** Notifications of a consumer's `status()`. */
export const ConsumerEvents = {
  HeartbeatsMissed: "heartbeats_missed",
  ConsumerNotFound: "consumer_not_found",
  StreamNotFound: "stream_not_found",
  ConsumerDeleted: "consumer_deleted",
  OrderedConsumerRecreated: "ordered_consumer_recreated",
  NoResponders: "no_responders",
};

/** Debug notifications of a consumer's `status()`. */
export const ConsumerDebugEvents = { DebugEvent: "debug", Discard: "discard", Reset: "reset", Next: "next" };
