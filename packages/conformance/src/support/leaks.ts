import { inspect } from 'node:util';
import { expect } from 'vitest';

/** One way a value can be printed, and the text it gives. */
export interface Printed {
  /** How it was printed, e.g. `util.inspect(error.cause, { showHidden: true })`. */
  how: string;
  text: string;
}

/** Every printable form of some values, and notes on forms that could not be made (not leaks). */
export interface Printout {
  forms: Printed[];
  /** E.g. "JSON.stringify(repository) throws (circular structure)": no leak, but worth knowing. */
  notes: string[];
}

/** Deepest `cause` chain walked; a longer chain is cut there (the first links hold the driver error). */
const MAX_CHAIN = 16;

/**
 * `JSON.stringify` as a cycle-safe logger does it (pino and friends): a reference back to an ancestor becomes
 * `"[Circular]"`, so the rest of the structure is still printed and checked.
 */
function jsonWithoutCycles(value: unknown): string | undefined {
  const ancestors: unknown[] = [];
  return JSON.stringify(value, function replacer(this: unknown, _key: string, item: unknown): unknown {
    if (typeof item === 'bigint') return String(item);
    if (typeof item !== 'object' || item === null) return item;
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(item)) return '[Circular]';
    ancestors.push(item);
    return item;
  });
}

function attempt(out: Printout, how: string, print: () => string | undefined): void {
  try {
    const text = print();
    if (text !== undefined) out.forms.push({ how, text });
  } catch (error) {
    out.notes.push(`${how} throws (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** `String`, `util.inspect` (depth null; with hidden properties) and `JSON.stringify` of `value`. */
function printValue(out: Printout, value: unknown, label: string): void {
  attempt(out, `String(${label})`, () => String(value));
  attempt(out, `util.inspect(${label}, { depth: null })`, () => inspect(value, { depth: null }));
  attempt(out, `util.inspect(${label}, { depth: null, showHidden: true })`, () =>
    inspect(value, { depth: null, showHidden: true }),
  );
  const before = out.notes.length;
  attempt(out, `JSON.stringify(${label})`, () => JSON.stringify(value));
  if (out.notes.length > before) {
    // A throwing JSON.stringify prints nothing (not a leak), but a cycle-safe logger prints the rest: check that.
    attempt(out, `JSON.stringify(${label}) without cycles`, () => jsonWithoutCycles(value));
  }
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Every printable form of a repository (or any object): see {@link printValue}. */
export function printRepository(value: unknown, label = 'repository'): Printout {
  const out: Printout = { forms: [], notes: [] };
  printValue(out, value, label);
  return out;
}

/**
 * Every printable form of an error and of each link of its `cause` chain (and of `errors`, as an
 * `AggregateError` holds them): `String`, `message`, `stack`, `util.inspect` with and without hidden properties,
 * `JSON.stringify` — what a logger or a structured-log serializer prints.
 */
export function printError(error: unknown, label = 'error'): Printout {
  const out: Printout = { forms: [], notes: [] };
  const seen = new Set<unknown>();
  const visit = (link: unknown, path: string, depth: number): void => {
    if (link === undefined || link === null || seen.has(link) || depth > MAX_CHAIN) return;
    seen.add(link);
    printValue(out, link, path);
    if (typeof link !== 'object') return;
    for (const key of ['message', 'stack'] as const) {
      const text = read(link, key);
      if (typeof text === 'string') out.forms.push({ how: `${path}.${key}`, text });
    }
    visit(read(link, 'cause'), `${path}.cause`, depth + 1);
    const errors = read(link, 'errors');
    if (Array.isArray(errors)) errors.forEach((item: unknown, i) => visit(item, `${path}.errors[${i}]`, depth + 1));
  };
  visit(error, label, 0);
  return out;
}

/** The forms of `secret` to look for: as it is and percent-encoded (as it sits in a URL). */
export function secretForms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  return encoded === secret ? [secret] : [secret, encoded];
}

/** Each printed form that contains the secret, described with a short excerpt around it (secret masked). */
export function leaksIn(printout: Printout, secret: string): string[] {
  const forms = secretForms(secret);
  const leaks: string[] = [];
  for (const { how, text } of printout.forms) {
    const found = forms.find((form) => text.includes(form));
    if (found === undefined) continue;
    const at = text.indexOf(found);
    const excerpt = text
      .slice(Math.max(0, at - 60), at + found.length + 20)
      .split(found)
      .join('<SECRET>');
    leaks.push(`${how} contains the secret: …${JSON.stringify(excerpt)}…`);
  }
  return leaks;
}

/** Expect no printed form to contain `secret`; return the notes (forms that could not be made) to report. */
export function expectNoSecret(printout: Printout, secret: string, what: string): string[] {
  expect(leaksIn(printout, secret), `${what}: the secret is printed`).toEqual([]);
  expect(printout.forms.length, `${what}: something was printed and checked`).toBeGreaterThan(0);
  return printout.notes;
}
