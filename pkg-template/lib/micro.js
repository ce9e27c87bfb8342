// The services chunk's entry (pkg/micro.js): loaded on first use of `nc.services` by
// lib/chunks.js, which first hands it what it shares with the main module.
export { install } from "./shared.js";
export { addService } from "./micro/service.js";
export { serviceClient } from "./micro/client.js";
