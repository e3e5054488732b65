const NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/** Messages of Node (ESM and CommonJS) and of Vite/Vitest that name a module that could not be found. */
const NOT_FOUND_MESSAGES = [
  /Cannot find (?:package|module) '([^']+)'/,
  /Cannot find (?:package|module) "([^"]+)"/,
  /Failed to (?:load url|resolve import|resolve entry for package) "?([^"\s]+)"?/,
];

/**
 * The npm package a path or specifier belongs to: `@scope/name` or `name`, read from the last `node_modules/`
 * segment of a path. `undefined` for a path outside `node_modules`.
 */
export function packageNameOf(specifier: string): string | undefined {
  const path = specifier.replace(/\\/g, '/');
  const inModules = path.lastIndexOf('node_modules/');
  const bare = inModules !== -1 ? path.slice(inModules + 'node_modules/'.length) : path;
  if (inModules === -1 && /^(?:\.|\/|[a-z]:|file:|node:)/i.test(bare)) return undefined;
  const parts = bare.split('/');
  const name = bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name === undefined || name === '' ? undefined : name;
}

/** What a failed `import()` says about a missing module. */
export interface ModuleNotFound {
  /** The package that is missing, when the error names it. */
  readonly packageName: string | undefined;
}

/** If `error` means "module not found", which package is missing; `null` for any other error. */
export function moduleNotFound(error: unknown): ModuleNotFound | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const named = NOT_FOUND_MESSAGES.map((pattern) => pattern.exec(text)?.[1]).find((name) => name !== undefined);
  if (!NOT_FOUND_CODES.has(String(code)) && named === undefined) return null;
  return { packageName: named === undefined ? undefined : packageNameOf(named) };
}
