import { sendMedia } from './sendMedia';
import { sendReaction } from './sendReaction';
import { sendReply } from './sendReply';
import { sendReplyButtons } from './sendReplyButtons';
import { sendText } from './sendText';
import type { KaleyraOperation } from './types';

/** Adding a message type: one file in this folder and one entry here. */
export const operations: KaleyraOperation[] = [sendText, sendReply, sendReaction, sendMedia, sendReplyButtons];

export const operationsByValue: Record<string, KaleyraOperation> = Object.fromEntries(
	operations.map((operation) => [operation.value, operation]),
);
