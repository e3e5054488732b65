import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import type { ConversationRepository, Environment } from '@fluxibly/core';
import { createRepository, StateConfig, ValidationError } from '@fluxibly/core';
import { CliError, EXIT } from './exit-codes.js';

/** The variable holding extra adapter options as a JSON object (e.g. `{"schema":"tenant_a"}` or `{"keyPrefix":"x:"}`). */
export const ADAPTER_OPTIONS_VARIABLE = 'FLUXIBLY_ADAPTER_OPTIONS';

/** A backend to open: its environment and a label for messages. */
export interface BackendSource {
  readonly env: Environment;
  readonly label: string;
}

/**
 * The environment a backend is read from: the process's, with the variables of `envFile` (dotenv syntax) over it.
 * @throws CliError (usage) when the file cannot be read.
 */
export async function backendSource(envFile: string | undefined, label: string): Promise<BackendSource> {
  if (envFile === undefined) return { env: process.env, label };
  let text: string;
  try {
    text = await readFile(envFile, 'utf8');
  } catch (error) {
    throw new CliError(EXIT.usage, `cannot read ${envFile}: ${(error as Error).message}`);
  }
  return { env: { ...process.env, ...parseEnv(text) }, label: `${label} (${envFile})` };
}

/** The variables of `envFile` alone (to check what a target file sets). */
export async function envFileVariables(envFile: string): Promise<Record<string, string>> {
  try {
    return parseEnv(await readFile(envFile, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new CliError(EXIT.usage, `cannot read ${envFile}: ${(error as Error).message}`);
  }
}

/** An open backend: its repository and the backend name. */
export interface OpenBackend {
  readonly repository: ConversationRepository;
  readonly backend: string;
}

/**
 * Open the repository the environment selects, exactly as an application's `createRepository(StateConfig.fromEnv()
 * .database)` does (`DB_BACKEND`, `DATABASE_URL`, `REDIS_URL`, … — see `@fluxibly/core`'s README), plus
 * `FLUXIBLY_ADAPTER_OPTIONS` (JSON) passed as `adapterOptions`. Adapters are loaded from the CLI's own location,
 * then from the working directory.
 * @throws CliError (usage) for a bad variable.
 */
export async function openBackend(source: BackendSource): Promise<OpenBackend> {
  let config: StateConfig;
  try {
    config = StateConfig.fromEnv(source.env);
  } catch (error) {
    if (error instanceof ValidationError) throw new CliError(EXIT.usage, `${source.label}: ${error.message}`);
    throw error;
  }
  const adapterOptions = parseAdapterOptions(source);
  const repository = await createRepository(config.database, {
    importModule: (specifier) => import(specifier),
    ...(adapterOptions === undefined ? {} : { adapterOptions }),
  });
  return { repository, backend: config.database.backend };
}

function parseAdapterOptions(source: BackendSource): Record<string, unknown> | undefined {
  const raw = source.env[ADAPTER_OPTIONS_VARIABLE];
  if (raw === undefined || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(EXIT.usage, `${source.label}: ${ADAPTER_OPTIONS_VARIABLE} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
