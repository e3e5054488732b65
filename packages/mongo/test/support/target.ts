/** What the whole test run talks to, decided once by `global-setup.ts` and handed to tests with `inject`. */
export interface MongoTarget {
  /** `'stand-in'` (the pinned jongodb binary, started for the run) or `'mongodb'` (the server at MONGODB_URL). */
  kind: 'stand-in' | 'mongodb';
  /** The connection string (a secret when it comes from MONGODB_URL: never print it). */
  url: string;
  /** A printable description: kind, version, and the URL with any password redacted. */
  label: string;
  /** The database made for this run (`fluxibly_test_<random>`). */
  dbName: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoTarget: MongoTarget;
  }
}

/** The URL with its user info replaced, for printing. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/u, '//***@');
}
