/** Optional features a repository declares. The conformance suite tests exactly what is declared. */
export interface RepositoryCapabilities {
  /** `searchMessages` is implemented. */
  readonly fullTextSearch: boolean;
  /** Threads can expire after a time-to-live (adapter-specific option). */
  readonly ttl: boolean;
}
