/** The kinds of media WhatsApp carries, as Kaleyra's v2 types and the callbacks' message types name them. Both nodes read them. */
export const MEDIA_KINDS = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export type MediaKind = (typeof MEDIA_KINDS)[number];
