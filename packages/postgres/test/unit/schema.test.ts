import { ValidationError } from '@fluxibly/core';
import { describe, expect, it } from 'vitest';
import { qualifiedTables, quoteIdent, validateSchemaName } from '../../src/schema.js';

describe('schema names', () => {
  it('quotes identifiers so any name addresses only itself', () => {
    expect(quoteIdent('chat')).toBe('"chat"');
    expect(quoteIdent('a"b; DROP TABLE x')).toBe('"a""b; DROP TABLE x"');
    expect(qualifiedTables('My "Schema"').messages).toBe('"My ""Schema"""."fluxibly_messages"');
  });

  it('rejects empty, over-long and NUL-holding schema names', () => {
    expect(() => validateSchemaName('')).toThrow(ValidationError);
    expect(() => validateSchemaName('x'.repeat(64))).toThrow(ValidationError);
    expect(() => validateSchemaName('a\u0000b')).toThrow(ValidationError);
    expect(() => validateSchemaName(42)).toThrow(ValidationError);
    expect(validateSchemaName('x'.repeat(63))).toBe('x'.repeat(63));
  });
});
