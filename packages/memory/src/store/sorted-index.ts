import { compareCodePoints } from '@fluxibly/core/adapter';
/**
 * A thread listing index: entries kept in ascending (`updatedAt`, `id`) order, so the newest activity is at the
 * end of the array. Moving a thread to "newest" is a remove (binary search + splice) and an append (usually a
 * plain `push`); reading a page newest-first walks backwards from a binary-searched position.
 */

/** What an index orders by. The key must not change while the entry is in an index: remove, change, insert. */
export interface IndexKey {
  readonly id: string;
  readonly updatedAt: number;
}

/** A listing position: entries strictly older than it come next (the last entry of the previous page). */
export interface IndexPosition {
  readonly updatedAt: number;
  readonly id: string;
}

/** A slice of an index, newest first, and whether older entries remain after it. */
export interface IndexPage<T> {
  readonly items: T[];
  readonly more: boolean;
}

/** Order of two keys: `updatedAt`, then `id` by code point. */
export function compareKeys(a: IndexPosition, b: IndexPosition): number {
  return a.updatedAt !== b.updatedAt ? a.updatedAt - b.updatedAt : compareCodePoints(a.id, b.id);
}

/** A sorted array of entries by ascending (`updatedAt`, `id`); see the file comment for costs. */
export class SortedIndex<T extends IndexKey> {
  readonly #items: T[] = [];

  /** How many entries it holds. */
  get size(): number {
    return this.#items.length;
  }

  /** Add an entry. O(log n), plus shifting the entries newer than it (none in the common "now" case). */
  insert(item: T): void {
    const items = this.#items;
    const last = items[items.length - 1];
    if (last === undefined || compareKeys(last, item) < 0) {
      items.push(item);
      return;
    }
    items.splice(this.#lowerBound(item), 0, item);
  }

  /**
   * Remove an entry (found by its current key, then by identity). O(log n) plus shifting the newer entries.
   * Returns `false` when it is not in the index.
   */
  remove(item: T): boolean {
    const items = this.#items;
    for (let i = this.#lowerBound(item); i < items.length; i++) {
      const candidate = items[i] as T;
      if (candidate === item) {
        items.splice(i, 1);
        return true;
      }
      if (compareKeys(candidate, item) !== 0) return false;
    }
    return false;
  }

  /**
   * Up to `limit` entries, newest first, strictly older than `position` (all entries when it is omitted).
   * O(log n + limit).
   */
  page(limit: number, position?: IndexPosition): IndexPage<T> {
    const items = this.#items;
    const end = position === undefined ? items.length : this.#lowerBound(position);
    const start = Math.max(0, end - limit);
    const out: T[] = [];
    for (let i = end - 1; i >= start; i--) out.push(items[i] as T);
    return { items: out, more: start > 0 };
  }

  /**
   * Up to `limit` entries for which `keep` is true, newest first, strictly older than `position` (all entries
   * when it is omitted), and whether a kept entry older than them remains. O(log n + entries looked at): at
   * worst every entry older than `position`.
   */
  pageWhere(limit: number, keep: (item: T) => boolean, position?: IndexPosition): IndexPage<T> {
    const items = this.#items;
    const out: T[] = [];
    for (let i = (position === undefined ? items.length : this.#lowerBound(position)) - 1; i >= 0; i--) {
      const item = items[i] as T;
      if (!keep(item)) continue;
      if (out.length === limit) return { items: out, more: true };
      out.push(item);
    }
    return { items: out, more: false };
  }

  /** Every entry, newest first (a lazy walk: stop early to pay only for what is read). */
  *newestFirst(): IterableIterator<T> {
    const items = this.#items;
    for (let i = items.length - 1; i >= 0; i--) yield items[i] as T;
  }

  /** Every entry, oldest first (a lazy walk, like {@link newestFirst}). */
  *oldestFirst(): IterableIterator<T> {
    yield* this.#items;
  }

  /** Index of the first entry whose key is `>= key`. */
  #lowerBound(key: IndexPosition): number {
    const items = this.#items;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(items[middle] as T, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
