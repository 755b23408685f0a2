/**
 * The credential types both nodes' code asks n8n for: the API credential (sends, lookups, the
 * trigger's optional profile check) and the trigger's callback secret. n8n's linter and scanner read
 * a credential class's `name` and a node description's credential list as literals, so those stay
 * literals; test/unit/shared-facts.test.ts holds them equal to these.
 */
export const API_CREDENTIAL = 'kaleyraWhatsAppApi';
export const CALLBACK_CREDENTIAL = 'kaleyraWhatsAppCallbackApi';
