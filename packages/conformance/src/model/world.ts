import type { ChatMessage, ChatThread, ConversationRepository, NewMessage, Scope } from '@fluxibly/core';
import type { IdNames } from './normalize.js';
import type { MessageRef, MessageSpec, ScopeRef, ThreadRef } from './ops.js';
import { MISSING_PICK } from './ops.js';

/** Which side of the comparison: the reference ("model") or the adapter under test ("real"). */
export type Side = 'model' | 'real';

/** A thread both sides know, under its label and each side's id. */
export interface Handle {
  label: string;
  model: string;
  real: string;
  owner: ScopeRef;
}

/** What a {@link ThreadRef} resolves to for one call. */
export interface Target {
  handle: Handle | undefined;
  model: string;
  real: string;
  /** The scope the call is made with (maybe not the owner's: a cross-scope attempt). */
  scope: Scope;
  owner: Scope;
  /** The real instance that runs the call. */
  repo: ConversationRepository;
}

/**
 * The bookkeeping of one model-based run: the threads both sides know, how each side's generated ids pair up,
 * the cursors each side returned, and how to turn an operation's indexes into ids, scopes and messages.
 */
export class ModelWorld {
  readonly handles: Handle[] = [];
  readonly #realToModel = new Map<string, string>();
  readonly #modelToReal = new Map<string, string>();
  readonly #cursors = new Map<string, Array<[string, string]>>();

  constructor(
    readonly model: ConversationRepository,
    readonly reals: readonly [ConversationRepository, ConversationRepository],
    readonly scopes: readonly [Scope, Scope, Scope],
    readonly runId: string,
  ) {}

  /** How one side's ids and scopes are named in normalized results. */
  names(side: Side): IdNames {
    return {
      thread: (id) => this.handles.find((h) => h[side] === id)?.label ?? id,
      message: (id) => (side === 'real' ? (this.#realToModel.get(id) ?? id) : id),
      scope: (orgId, userId) => {
        const index = this.scopes.findIndex((s) => s.orgId === orgId && (userId === undefined || s.userId === userId));
        return index < 0 ? `?${orgId}/${userId ?? ''}` : `S${index}`;
      },
    };
  }

  /** The caller-supplied thread id of pool index `pool` (fresh per run: thread ids are global). */
  threadId(pool: number): string {
    return `${this.runId}-t${pool}`;
  }

  /** The caller-supplied message id of pool index `pool` (per thread, so it need not be fresh). */
  messageId(pool: number): string {
    return `msg ${pool}: {"$k"}`;
  }

  target(ref: ThreadRef): Target {
    const handle = ref.pick === MISSING_PICK ? undefined : this.handles[ref.pick % Math.max(1, this.handles.length)];
    const missing = `${this.runId}-missing`;
    const ownerRef = handle?.owner ?? 0;
    return {
      handle,
      model: handle?.model ?? missing,
      real: handle?.real ?? missing,
      owner: this.scopes[ownerRef],
      scope: this.scopes[ref.as === 'owner' ? ownerRef : ref.as],
      repo: this.reals[ref.via],
    };
  }

  /** The scope index a call on `ref` was made with. */
  scopeRefOf(ref: ThreadRef, t: Target): ScopeRef {
    return ref.as === 'owner' ? (t.handle?.owner ?? 0) : ref.as;
  }

  /** The reference's `lastSeq` for the thread (0 when it does not exist). */
  async modelLastSeq(t: Target): Promise<number> {
    return (await this.model.getThread(t.owner, t.model))?.lastSeq ?? 0;
  }

  /** The reference's `messageCount` for the thread (0 when it does not exist). */
  async modelMessageCount(t: Target): Promise<number> {
    return (await this.model.getThread(t.owner, t.model))?.messageCount ?? 0;
  }

  /** A message's id on each side: an existing message of the thread (by the reference), or a pool id. */
  async messageIds(t: Target, ref: MessageRef): Promise<[string, string]> {
    if ('existing' in ref) {
      const page = await this.model.getMessages(t.owner, { threadId: t.model, limit: 1000 });
      const pick = page?.messages[ref.existing % Math.max(1, page.messages.length)];
      if (pick !== undefined) return [pick.id, this.#modelToReal.get(pick.id) ?? pick.id];
    }
    const id = this.messageId('pool' in ref ? ref.pool : 0);
    return [id, id];
  }

  newMessages(specs: MessageSpec[]): NewMessage[] {
    return specs.map((spec) => {
      const message = { role: spec.role, content: spec.content } as NewMessage;
      if (spec.id !== null) message.id = this.messageId(spec.id);
      if (spec.metadata !== undefined) message.metadata = spec.metadata;
      if (spec.status !== undefined) message.status = spec.status;
      if (spec.tokenCount !== undefined) message.tokenCount = spec.tokenCount;
      if (spec.summaryOf !== undefined) message.summaryOf = spec.summaryOf;
      return message;
    });
  }

  /**
   * The reference's newest `count` messages of the thread, resent as they are (ids, role, content and fields) for
   * each side, and the cut just before them; `undefined` when the thread has no message.
   */
  async tail(t: Target, count: number): Promise<{ cut: number; model: NewMessage[]; real: NewMessage[] } | undefined> {
    const page = await this.model.getMessages(t.owner, { threadId: t.model, limit: count + 1 });
    if (page === null || page.messages.length === 0) return undefined;
    const messages = page.messages.slice(-count);
    const first = messages[0] as ChatMessage;
    const before = page.messages.length > messages.length ? (page.messages[0] as ChatMessage).seq : 0;
    const resend = (m: ChatMessage, id: string): NewMessage => ({
      id,
      role: m.role,
      content: m.content,
      metadata: m.metadata,
      status: m.status,
      ...(m.tokenCount === undefined ? {} : { tokenCount: m.tokenCount }),
      ...(m.summaryOf === undefined ? {} : { summaryOf: m.summaryOf }),
    });
    return {
      // Any cut from the previous message's seq to just before the first resent one names the same tail.
      cut: Math.max(before, first.seq - 1 - (first.seq % 2)),
      model: messages.map((m) => resend(m, m.id)),
      real: messages.map((m) => resend(m, this.#modelToReal.get(m.id) ?? m.id)),
    };
  }

  /** Pair the ids of messages both sides just stored (generated ids differ; caller ids pair with themselves). */
  pairMessages(model: ChatMessage[] | undefined, real: ChatMessage[] | undefined): void {
    model?.forEach((m, i) => {
      const r = real?.[i];
      if (r === undefined) return;
      this.#realToModel.set(r.id, m.id);
      this.#modelToReal.set(m.id, r.id);
    });
  }

  /** Remember a thread both sides just created. */
  adopt(owner: ScopeRef, model: ChatThread | undefined, real: ChatThread | undefined): void {
    if (model !== undefined && real !== undefined) {
      this.handles.push({ label: `T${this.handles.length}`, model: model.id, real: real.id, owner });
    }
  }

  /** Remember a cursor pair a page returned, for later pages of the same thread. */
  rememberCursor(t: Target, model: string | null | undefined, real: string | null | undefined): void {
    const label = t.handle?.label;
    if (label === undefined || model == null || real == null) return;
    const list = this.#cursors.get(label) ?? [];
    list.push([model, real]);
    this.#cursors.set(label, list);
  }

  /** The `index`-th remembered cursor pair of the thread (mod their count), if any. */
  cursor(t: Target, index: number | null): [string, string] | undefined {
    const label = t.handle?.label;
    const list = label === undefined ? undefined : this.#cursors.get(label);
    return index === null || list === undefined || list.length === 0 ? undefined : list[index % list.length];
  }
}

/** The scope of a label index: 0 and 1 share an organisation, 2 is elsewhere. */
export function scopesFor(first: Scope, second: Scope, other: Scope): readonly [Scope, Scope, Scope] {
  return [first, { orgId: first.orgId, userId: second.userId }, other];
}
