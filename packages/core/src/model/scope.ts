/** The tenant every repository call acts for. A thread belongs to exactly one scope. */
export interface Scope {
  readonly orgId: string;
  readonly userId: string;
}

/** The scope of an organisation-wide listing. */
export interface OrgScope {
  readonly orgId: string;
}
