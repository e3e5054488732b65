/** A node of `EXPLAIN (FORMAT JSON)` output, with the fields the plan tests read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan tree, depth first. */
export function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** The root of `EXPLAIN (FORMAT JSON)` rows (pg parses the json column). */
export function planRoot(rows: Array<{ 'QUERY PLAN': unknown }>): PlanNode {
  const plan = rows[0]?.['QUERY PLAN'] as Array<{ Plan: PlanNode }> | undefined;
  if (plan?.[0] === undefined) throw new Error('no plan');
  return plan[0].Plan;
}

/** The nodes of a plan that read `relation` (scans of it, by table name). */
export function scansOf(root: PlanNode, relation: string): PlanNode[] {
  return planNodes(root).filter((node) => node['Relation Name'] === relation && node['Node Type'].includes('Scan'));
}

/** Rows a node read and threw away (filter and recheck), over all its loops. */
export function rowsRemoved(node: PlanNode): number {
  const perLoop = (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
  return perLoop * (node['Actual Loops'] ?? 1);
}

/** A client that runs queries (a pg `PoolClient`). */
interface ExplainClient {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
  escapeLiteral(text: string): string;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE name(args)` of a prepared statement, in a transaction rolled
 * back after (so an explained write changes nothing). `'NULL'` passes SQL NULL.
 */
export async function explainExecute(client: ExplainClient, name: string, args: readonly string[]): Promise<PlanNode> {
  await client.query('BEGIN');
  try {
    const literals = args.map((arg) => (arg === 'NULL' ? 'NULL' : client.escapeLiteral(arg)));
    const { rows } = await client.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE ${name}(${literals.join(', ')})`,
    );
    return planRoot(rows);
  } finally {
    await client.query('ROLLBACK');
  }
}
