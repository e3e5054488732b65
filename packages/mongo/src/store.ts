import type { ClientSession, MongoClient } from 'mongodb';
import type { Scope } from '@fluxibly/core';
import type { Collections, ThreadDocument } from './documents.js';

/** What every operation works with once the repository is connected. */
export interface MongoStore {
  readonly client: MongoClient;
  readonly collections: Collections;
  /** The clock (epoch ms). */
  now(): number;
}

/** The thread if it exists *for this scope*, else `null` (another tenant's thread looks missing). */
export async function ownedThread(
  store: MongoStore,
  scope: Scope,
  threadId: string,
  session?: ClientSession,
): Promise<ThreadDocument | null> {
  return store.collections.threads.findOne(
    { _id: threadId, orgId: scope.orgId, userId: scope.userId },
    session === undefined ? {} : { session },
  );
}
