/**
 * The chat example: `pnpm run chat` (DB_BACKEND=memory by default; see README.md for the other backends), then open
 * the printed address. The model is the AI SDK's mock model, so it runs without any API key.
 */
import { openBackend } from '../support/backend.js';
import { echoModel } from './mock-model.js';
import { chatServer } from './server.js';

const backend = await openBackend();
const server = chatServer(backend.repository, echoModel());
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `chat on ${backend.config.database.backend}: http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : ''}/`,
  );
});
