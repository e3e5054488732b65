import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';
import { startStandIn } from './support/stand-in.js';
import { type MongoTarget, redactUrl } from './support/target.js';

/**
 * Decide the run's target once: the server at `MONGODB_URL` when set (in a database made for the run and dropped
 * afterwards; unreachable is a failure), otherwise the pinned stand-in, started here and stopped afterwards.
 * The target's label goes to `FLUXIBLY_MONGO_TARGET` for the summary reporter (`support/summary-reporter.ts`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dbName = `fluxibly_test_${randomBytes(6).toString('hex')}`;
  const external = process.env.MONGODB_URL;
  let target: MongoTarget;
  let cleanup: () => Promise<void>;
  if (external !== undefined && external.length > 0) {
    const client = new MongoClient(external, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`MONGODB_URL (${redactUrl(external)}) is unreachable`, { cause: error });
    }
    const info = await client.db('admin').command({ buildInfo: 1 });
    target = {
      kind: 'mongodb',
      url: external,
      dbName,
      label: `MongoDB ${String(info.version)} at ${redactUrl(external)}`,
    };
    cleanup = async () => {
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    };
  } else {
    const standIn = await startStandIn();
    target = {
      kind: 'stand-in',
      url: standIn.url,
      dbName,
      label: `jongodb ${standIn.version} stand-in (NOT MongoDB) at ${standIn.url}`,
    };
    // The stand-in keeps everything in memory: stopping it removes the run's database.
    cleanup = () => standIn.stop();
  }
  process.env.FLUXIBLY_MONGO_TARGET = target.label;
  project.provide('mongoTarget', target);
  return cleanup;
}
