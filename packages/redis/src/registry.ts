import type { OpContext } from './context.js';
import type { KeySpace } from './keys.js';
import { decodeKeyPart } from './keys.js';
import { scanKeys } from './scan.js';
import type { RedisClient } from './scripts/run.js';

/**
 * The organisation registry `<prefix>orgs` (see `KeySpace.registry`): a set of organisation ids in its own slot,
 * which `pruneThreads` without an `orgId` walks. A create, fork or import adds its organisation after the thread's
 * listing entries are written (never an append: appends keep one round trip); an erase of an organisation that
 * leaves its listing empty removes it.
 */

/** Record that `orgId` holds threads. */
export async function registerOrg(context: OpContext, orgId: string): Promise<void> {
  await context.client.sadd(context.keys.registry(), orgId);
}

/**
 * Remove an organisation from the registry once its listing is empty. The registry and the listing are in different
 * slots, so this is not one atomic step: the listing is checked again after the removal, and the organisation put
 * back when a thread appeared meanwhile (a create or import writes its listing entry before registering).
 */
export async function unregisterOrg(context: OpContext, orgId: string): Promise<void> {
  const { client, keys } = context;
  if ((await client.srem(keys.registry(), orgId)) === 0) return;
  if ((await client.zcard(keys.orgIndex(orgId))) > 0) await client.sadd(keys.registry(), orgId);
}

/**
 * One-off, after an upgrade (see `backfillOrgRegistry` of the package): register every organisation that has a listing (`<prefix>o:{…}`, found by SCAN on every
 * master), so that `pruneThreads` without an `orgId` reaches threads written before the registry existed. Idempotent;
 * safe while the repository is in use. Returns how many organisations the registry holds for those listings.
 */
export async function registerListedOrgs(client: RedisClient, keys: KeySpace): Promise<number> {
  const listings = await scanKeys(client, keys, 'o:{*}');
  const orgs = listings
    .map((key) => key.slice(keys.prefix.length + 3, -1))
    .filter((encoded) => /^(?:[0-9a-f]{2})+$/u.test(encoded))
    .map(decodeKeyPart);
  for (let i = 0; i < orgs.length; i += 1000) await client.sadd(keys.registry(), ...orgs.slice(i, i + 1000));
  return orgs.length;
}
