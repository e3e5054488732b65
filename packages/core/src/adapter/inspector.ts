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
}
