/** The ready-made CONTINUUM user classes, one per file; scenarios/ combines them. */
export { HeavyReaderUser } from './heavy-reader-user.js';
export { BalancedUser } from './balanced-user.js';
export { ContentCreatorUser } from './content-creator-user.js';
export { RealisticAPIUser } from './realistic-api-user.js';
export { BurstTrafficUser } from './burst-traffic-user.js';
export { SlowUser } from './slow-user.js';
export { MemoryOperationsUser, MEMORY_MIX } from './memory-operations-user.js';
export { SearchUser, SEARCH_MIX } from './search-user.js';
export { FederationUser, FEDERATION_MIX } from './federation-user.js';
export { ConversationUser, CONVERSATION_PATH, CONVERSATION_RATE } from './conversation-user.js';
export { KernelUser } from './kernel-user.js';
export { AIServiceUser } from './ai-service-user.js';
