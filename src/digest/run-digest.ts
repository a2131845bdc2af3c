import type { Core } from "../app.js";
import { composeDigest, type Digest } from "./compose.js";
import { deliverDigest, type DeliveryReport } from "./deliver.js";

/** This week's digest from the loaded index, as it would be sent now (the preview for staff and the CLI). */
export function currentDigest(core: Core, now = new Date()): Promise<Digest> {
  return composeDigest({
    docs: core.retriever.docs, baselineAt: core.retriever.manifest.baselineAt, store: core.store, now,
    deadlineDays: core.config.digest.deadlineDays, timezone: core.config.digest.timezone, programmes: core.funding.programmes, publicUrl: core.config.publicUrl,
  });
}

/** Composes this week's digest from the loaded index and sends it to every subscribed chat. */
export async function runDigest(core: Core, now = new Date()): Promise<DeliveryReport | undefined> {
  const digest = await currentDigest(core, now);
  if (digest.empty && !core.config.digest.sendEmpty) {
    core.log.info({ key: digest.key }, "digest empty, not sent");
    return undefined;
  }
  return deliverDigest(digest, { store: core.store, senderFor: (c) => core.delivery.sender(c), log: core.log.child({ module: "digest" }) });
}
