import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { bareMimeType, fileNameFor, maxDownloadBytes } from '../KaleyraWhatsApp/shared/media';
import {
	downloadToBinary,
	getAccount,
	type KaleyraAccount,
} from '../KaleyraWhatsApp/shared/transport';
import { MEDIA_KINDS } from '../shared/media';
import type { CallbackItem } from './callbacks';

/** The trigger's Options → Download Media settings. */
export interface MediaDownload {
	binaryPropertyName: string;
	maxBytes: number;
}

/** Why a file is not on the item; the item itself is never dropped for it. */
export interface MediaError extends IDataObject {
	reason: string;
	retryable: boolean;
}

const MEDIA_TYPES: ReadonlySet<string> = new Set(MEDIA_KINDS);

/** Downloads in parallel per callback: enough to keep a burst of photos moving, few enough for a small n8n. */
const PARALLEL_DOWNLOADS = 4;

/** The media part of the item's own message in `raw` (v2: WhatsApp's message; v1: the flat body). */
function mediaPart(item: CallbackItem): IDataObject {
	const messages = (
		(item.raw.meta_object as IDataObject | undefined)?.value as IDataObject | undefined
	)?.messages;
	const message = Array.isArray(messages) ? (messages[0] as IDataObject | undefined) : undefined;
	const part = message?.[item.type ?? ''];
	return typeof part === 'object' && part !== null && !Array.isArray(part)
		? (part as IDataObject)
		: {};
}

/** The document's own name; else one made from the type and the message ID (`image-wamid_HBg….jpg`). */
function nameOf(item: CallbackItem, mimeType: string | null, fromServer: string | null): string {
	const own = mediaPart(item).filename;
	if (typeof own === 'string' && own.trim() !== '') return own.trim().replace(/[\\/]/g, '_');
	if (fromServer !== null) return fromServer;
	const id = (item.messageId ?? 'message').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 80);
	return fileNameFor(`${item.type}-${id}`, mimeType);
}

/** The account whose host may get the API key: the trigger's optional Kaleyra WhatsApp API credential. */
async function accountOf(ctx: IWebhookFunctions): Promise<KaleyraAccount | undefined> {
	try {
		return await getAccount(ctx);
	} catch {
		// No credential (or an unusable one): files are fetched without a key.
		return undefined;
	}
}

async function downloadOne(
	ctx: IWebhookFunctions,
	account: KaleyraAccount | undefined,
	item: CallbackItem,
	settings: MediaDownload,
): Promise<INodeExecutionData> {
	if (item.mediaUrl === null)
		return {
			json: {
				...item,
				mediaError: {
					reason: 'the callback has no link to the file',
					retryable: false,
				} satisfies MediaError,
			},
		};
	// WhatsApp's own MIME type for the file is the most exact; the server's is next.
	const declared = mediaPart(item).mime_type;
	const stored = await downloadToBinary(
		ctx,
		account,
		{ url: item.mediaUrl, maxBytes: settings.maxBytes },
		{
			mimeType: typeof declared === 'string' && declared !== '' ? bareMimeType(declared) : null,
			fileName: (fromServer, mimeType) => nameOf(item, mimeType, fromServer),
		},
	);
	if (!stored.ok)
		return {
			json: {
				...item,
				mediaError: { reason: stored.reason, retryable: stored.retryable } satisfies MediaError,
			},
		};
	return {
		json: { ...item, mediaError: null },
		binary: { [settings.binaryPropertyName]: stored.binary },
	};
}

/**
 * Items with the file of every incoming image, video, audio, document and sticker in binary data,
 * in the items' order. Other items get `mediaError: null` and no file.
 */
export async function withMedia(
	ctx: IWebhookFunctions,
	items: CallbackItem[],
	settings: MediaDownload,
): Promise<INodeExecutionData[]> {
	const wanted = items.map((item) => item.event === 'message' && MEDIA_TYPES.has(item.type ?? ''));
	const account = wanted.some(Boolean) ? await accountOf(ctx) : undefined;
	const out: INodeExecutionData[] = items.map((item) => ({ json: { ...item, mediaError: null } }));
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			if (wanted[index]) out[index] = await downloadOne(ctx, account, items[index], settings);
		}
	};
	await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));
	return out;
}

/**
 * Options → Download Media, Put File in Field and Max Media Size (MB) as the node holds them;
 * undefined with Download Media off. The size is held to WhatsApp's largest file, a document.
 */
export function mediaDownloadOf(options: IDataObject): MediaDownload | undefined {
	if (options.downloadMedia !== true) return undefined;
	return {
		binaryPropertyName: String(options.binaryPropertyName ?? '').trim() || 'data',
		maxBytes: maxDownloadBytes(options.maxMediaSizeMb),
	};
}
