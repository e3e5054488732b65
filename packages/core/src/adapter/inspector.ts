/**
 * Raw, adapter-independent read access to what a backend really stored, bypassing the adapter's read path. The
 * conformance suite uses it to check bytes at rest (nothing written by a failed call, seqs gapless, nothing left
 * of a deleted thread). Every adapter exports a function that builds one for its repository.
 */
export interface StoreInspector {
  /**
   * Everything stored for one organisation — threads and messages, as the backend holds them — as a JSON-able
   * value in a stable order. Two snapshots are equal exactly when nothing for that org was written in between.
   */
  snapshot(orgId: string): Promise<unknown>;
  /** The `seq` of every message stored for a thread, ascending, read from the backend directly. */
  messageSeqs(threadId: string): Promise<number[]>;
  /**
   * How many raw records (rows, documents, keys, listing and index entries) the backend holds for this organisation,
   * or for one user of it: `0` exactly when nothing of the scope is left (the erase specs check it). Optional for a
   * third party's inspector; every adapter of this project implements it.
   */
  remains?(scope: { orgId: string; userId?: string }): Promise<number>;
}
