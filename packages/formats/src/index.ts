// Lossless converters between Fluxibly State messages and the message formats of LLM providers.
export type { ConvertedMessage, MessageInput } from './json.js';
export { RAW_PART } from './rules.js';
export { fromOpenAIChat, toOpenAIChat, OPENAI_CHAT_KEY, type ToProviderOptions } from './openai-chat.js';
export { fromOpenAIResponses, toOpenAIResponses, OPENAI_RESPONSES_KEY } from './openai-responses.js';
export { fromAnthropic, toAnthropic, ANTHROPIC_KEY, type AnthropicConversation } from './anthropic.js';
