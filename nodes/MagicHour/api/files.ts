import { transportError } from '../errors';
import { apiRequest, uploadToSignedUrl } from '../transport';
import type { ByteStream } from '../transport';
import type { Session } from './session';

/** The answer of POST /v1/files/upload-urls. */
interface UploadUrlsResponse {
	items?: Array<{ upload_url?: string; expires_at?: string; file_path?: string }>;
	[key: string]: unknown;
}

export interface FileUpload {
	/** Lower case, no dot: one of the extensions Magic Hour accepts for the type. */
	extension: string;
	size?: number;
	/** Called once per attempt: a stream can only be sent once. */
	openBody: () => Promise<Buffer | ByteStream>;
	itemIndex: number;
	deadline: number;
}

/**
 * Puts an audio file into Magic Hour's storage and returns its `file_path` (free, kept 7 days):
 * POST /v1/files/upload-urls for a signed URL, then a PUT of the bytes to it, without the token.
 */
export async function uploadAudioFile(session: Session, upload: FileUpload): Promise<string> {
	const { ctx, connection } = session;
	const answer = await apiRequest<UploadUrlsResponse | undefined>(ctx, connection, {
		method: 'POST',
		path: '/v1/files/upload-urls',
		body: { items: [{ type: 'audio', extension: upload.extension }] },
		itemIndex: upload.itemIndex,
		deadline: upload.deadline,
	});
	const target = answer?.items?.[0];
	if (!target?.upload_url || !target.file_path) {
		// No "[item n]" in the text: items sharing this sample get the same message.
		throw transportError(ctx.getNode(), {
			message: 'Magic Hour did not return an upload URL for the audio sample',
			description: 'Nothing was paid. Run the item again; if this repeats, contact Magic Hour support.',
			itemIndex: upload.itemIndex,
			code: 'no_upload_url',
		});
	}
	await uploadToSignedUrl(ctx, connection, {
		url: target.upload_url,
		size: upload.size,
		itemIndex: upload.itemIndex,
		deadline: upload.deadline,
		openBody: upload.openBody,
	});
	return target.file_path;
}
