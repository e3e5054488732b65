// The consumer project of scripts/consumer-check.sh: what a new user writes after `npm install`, type-checked with
// `strict` and without `skipLibCheck` (node16 and bundler resolution), then run on the memory backend.
import type { ConversationRepository, MigrationResult } from '@fluxibly/core';
import { createRepository, isMigratable, migrateRepository, StateConfig } from '@fluxibly/core';
import { MemoryConversationRepository } from '@fluxibly/memory';
import { MongoConversationRepository } from '@fluxibly/mongo';
import { PostgresConversationRepository } from '@fluxibly/postgres';
import { RedisConversationRepository } from '@fluxibly/redis';

/** Every adapter's repository is a ConversationRepository (checked by the compiler only). */
export type Adapters = [
  MemoryConversationRepository,
  PostgresConversationRepository,
  RedisConversationRepository,
  MongoConversationRepository,
] extends ConversationRepository[]
  ? true
  : never;

const config = StateConfig.fromEnv({ DB_BACKEND: 'memory' });
const repository = await createRepository(config.database);
// The typed migrate: whatever backend the config names, no type guard, no cast.
const result: MigrationResult = await migrateRepository(repository);
const postgresMigrate: (() => Promise<readonly string[]>) | undefined = repository.migrate;
if (isMigratable(repository)) await repository.migrate();

const thread = await repository.createThread({ orgId: 'org', userId: 'user' });
await repository.close();
console.log(
  `consumer app ran: ${config.database.backend}, hasSchema=${String(result.hasSchema)}, ` +
    `migrate on the contract=${typeof postgresMigrate}, thread ${thread.id.length > 0 ? 'created' : 'missing'}`,
);
