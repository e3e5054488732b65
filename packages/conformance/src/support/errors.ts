import type { FluxiblyErrorCode } from '@fluxibly/core';
import { ConflictError, FluxiblyError, NotFoundError, UnsupportedError, ValidationError } from '@fluxibly/core';
import { assert, expect } from 'vitest';

/** A call that should fail. A thunk, so that a method which throws synchronously is caught and reported. */
export type Call = () => Promise<unknown>;

/** What a call did, in a form that can be compared with `toEqual`. */
export type Outcome =
  | { kind: 'value'; value: unknown }
  | { kind: 'error'; name: string; code: string | undefined; message: string; fluxibly: boolean }
  | { kind: 'sync-throw'; name: string; message: string };

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Run `call` and record its outcome; a synchronous throw (instead of a rejected promise) is its own outcome. */
export async function outcomeOf(call: Call): Promise<Outcome> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    return { kind: 'sync-throw', name: errorName(error), message: errorMessage(error) };
  }
  try {
    return { kind: 'value', value: await promise };
  } catch (error) {
    return {
      kind: 'error',
      name: errorName(error),
      code: FluxiblyError.is(error) ? error.code : undefined,
      message: errorMessage(error),
      fluxibly: FluxiblyError.is(error),
    };
  }
}

/** Await `call`, which must return a promise that rejects; return the rejection reason. */
export async function rejectionOf(call: Call): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    return assert.fail(
      `threw synchronously instead of returning a rejected promise: ${errorName(error)}: ${errorMessage(error)}`,
    );
  }
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  return assert.fail(`expected a rejection, but it resolved with ${preview(value)}`);
}

function preview(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}

/**
 * Which `field` a `ValidationError` must name. A string matches that field or any path below it
 * (`messages[1].content` matches `messages[1].content[0].type`); an array matches any of its entries.
 */
export type FieldMatch = string | readonly string[];

/** True when `field` is `expected` or a path below it. */
export function fieldMatches(field: string, expected: FieldMatch): boolean {
  const options = typeof expected === 'string' ? [expected] : expected;
  return options.some((o) => field === o || field.startsWith(`${o}.`) || field.startsWith(`${o}[`));
}

/** Expect `call` to reject with a `FluxiblyError` of `code` that is an instance of `type`; return it. */
export async function expectTypedError<E extends FluxiblyError>(
  call: Call,
  type: abstract new (...args: never[]) => E,
  code: FluxiblyErrorCode,
): Promise<E> {
  const error = await rejectionOf(call);
  expect(
    FluxiblyError.is(error),
    `expected a FluxiblyError (${code}), got ${errorName(error)}: ${errorMessage(error)}`,
  ).toBe(true);
  expect((error as FluxiblyError).code, errorMessage(error)).toBe(code);
  expect(error instanceof type, `expected an instance of ${type.name}, got ${errorName(error)}`).toBe(true);
  return error as E;
}

/** Expect a `ValidationError` (`code: 'VALIDATION'`) whose `field` matches `field`; return it. */
export async function expectValidation(call: Call, field: FieldMatch): Promise<ValidationError> {
  const error = await expectTypedError(call, ValidationError, 'VALIDATION');
  expect(typeof error.field, 'a ValidationError names its field').toBe('string');
  expect(
    fieldMatches(error.field, field),
    `ValidationError.field is "${error.field}", expected ${JSON.stringify(field)} (message: ${error.message})`,
  ).toBe(true);
  return error;
}

/** Expect a `NotFoundError` (`code: 'NOT_FOUND'`); return it. */
export function expectNotFound(call: Call): Promise<NotFoundError> {
  return expectTypedError(call, NotFoundError, 'NOT_FOUND');
}

/** Expect a `ConflictError` (`code: 'CONFLICT'`); return it. */
export function expectConflict(call: Call): Promise<ConflictError> {
  return expectTypedError(call, ConflictError, 'CONFLICT');
}

/** Expect an `UnsupportedError` (`code: 'UNSUPPORTED'`); return it. */
export function expectUnsupported(call: Call): Promise<UnsupportedError> {
  return expectTypedError(call, UnsupportedError, 'UNSUPPORTED');
}
