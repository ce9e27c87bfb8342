// The ed25519 fallback for platforms whose WebCrypto has no Ed25519: @noble/ed25519 (audited),
// which the package build bundles into a file of its own (pkg/ed25519.js) that lib/nkeys.js
// imports only when it needs it. Its async functions hash with WebCrypto's SHA-512.
export { getPublicKeyAsync, signAsync } from "@noble/ed25519";
