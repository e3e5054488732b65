import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ConversationRepository } from '@fluxibly/core';
import { MongoConversationRepository } from '@fluxibly/mongo';
import { MongoClient } from 'mongodb';
import { MongoFloor } from '../floors/mongo-floor.js';
import type { Plan } from '../plan.js';
import type { AdapterTarget } from './target.js';

/**
 * The stand-in's inserts cost O(collection size) (about 0.3 s each at 5,000 documents), so the standard plan would
 * take hours there: the same workloads, on fewer messages and threads. Figures stay adapter-vs-floor ratios on one
 * server, nothing more.
 */
const NO_ISOLATION =
  'the stand-in does not isolate concurrent transactions (it loses writes, or drops the connection instead of ' +
  'reporting a write conflict), so concurrent appends cannot run on it; run with MONGODB_URL for this figure';
const STAND_IN_SKIPS: Readonly<Record<string, string>> = { W2: NO_ISOLATION, W2h: NO_ISOLATION };

function standInPlan(plan: Plan): Plan {
  return {
    ...plan,
    repetitions: Math.min(plan.repetitions, 5),
    sequentialMessages: 100,
    readSizes: [1_000],
    readsPerRepetition: Math.min(plan.readsPerRepetition, 100),
    users: 4,
    threads: 100,
    listsPerRepetition: Math.min(plan.listsPerRepetition, 100),
    regenerateMessages: 1_000,
    regeneratesPerRepetition: Math.min(plan.regeneratesPerRepetition, 40),
  };
}

/**
 * `@fluxibly/mongo` against the bare `mongodb` driver. The server is `MONGODB_URL` when set (a database made for
 * the run, dropped by `cleanup()`); otherwise the pinned jongodb stand-in (NOT MongoDB), started here and stopped
 * by `cleanup()`, and the report says so: figures on the stand-in say nothing about real MongoDB's speed, only
 * about the adapter's overhead relative to the raw driver on the same server.
 */
export const mongoTarget: AdapterTarget = {
  name: 'mongo',
  // On real MongoDB check at 100k. The stand-in's inserts cost O(collection size), so filling a large thread there
  // takes hours: skip the check on it (its figures say nothing about MongoDB's scaling anyway).
  scaleCheckMessages: process.env.MONGODB_URL ? 100_000 : 0,
  async setup() {
    const external = process.env.MONGODB_URL;
    let standIn: ChildProcess | undefined;
    let url: string;
    let where: string;
    if (external !== undefined && external.length > 0) {
      url = external;
      where = `MongoDB at ${external.replace(/\/\/[^@/]*@/u, '//***@')}`;
    } else {
      const started = await startStandIn();
      standIn = started.child;
      url = started.url;
      where = `jongodb 0.1.6 stand-in (NOT MongoDB) at ${url}`;
    }
    const dbName = `fluxibly_bench_${randomBytes(4).toString('hex')}`;
    const client = new MongoClient(url, { maxPoolSize: 32 });
    try {
      await client.connect();
    } catch (error) {
      await client.close();
      standIn?.kill('SIGTERM');
      throw error;
    }
    const repositories: MongoConversationRepository[] = [];
    let prefixes = 0;
    let cleaned = false;
    return {
      description: where,
      ...(standIn === undefined ? {} : { scalePlan: standInPlan, skipWorkloads: STAND_IN_SKIPS }),
      async createRepository(): Promise<ConversationRepository> {
        const repository = new MongoConversationRepository({
          url,
          dbName,
          collectionPrefix: `adapter${prefixes++}_`,
          clientOptions: { maxPoolSize: 32 },
        });
        await repository.migrate();
        repositories.push(repository);
        return repository;
      },
      createFloor: () => MongoFloor.create(client.db(dbName), `floor${prefixes++}_`),
      async cleanup() {
        if (cleaned) return;
        cleaned = true;
        for (const repository of repositories) await repository.close();
        if (standIn === undefined) await client.db(dbName).dropDatabase();
        await client.close();
        if (standIn !== undefined) await stop(standIn);
      },
    };
  },
};

/** Start the stand-in on a free loopback port and wait (with a deadline) for the URL it announces. */
function startStandIn(deadlineMs = 20_000): Promise<{ child: ChildProcess; url: string }> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@jongodb/memory-server-bin-linux-x64-gnu/package.json');
  const child = spawn(path.join(path.dirname(manifest), 'bin', 'jongodb'), ['--host=127.0.0.1', '--port=0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the MongoDB stand-in did not announce its URL in time'));
    }, deadlineMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = /JONGODB_URI=(mongodb:\/\/\S+)/u.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the MongoDB stand-in exited (code ${String(code)})`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
