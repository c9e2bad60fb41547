import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ACCOUNT_PATH } from '../nodes/MagicHour/api/account';

export class MagicHourApi implements ICredentialType {
	name = 'magicHourApi';

	displayName = 'Magic Hour API';

	icon: Icon = { light: 'file:magichour.svg', dark: 'file:magichour.dark.svg' };

	documentationUrl = 'https://magichour.ai/developer?tab=api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'mhk_live_…',
			description:
				'Your Magic Hour API key. Create one at <a href="https://magichour.ai/developer?tab=api-keys" target="_blank">magichour.ai/developer</a> (API Keys) and paste it here.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the Magic Hour Trigger: the secret Magic Hour shows for your webhook endpoint at <a href="https://magichour.ai/developer?tab=webhooks" target="_blank">magichour.ai/developer</a> (Webhooks). Events whose signature does not match it are refused.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.magichour.ai',
			description:
				'Leave as it is. Change it only to send requests through a proxy or to a local test server.',
		},
	];

	// Copying a key from a dashboard often brings a space or a line break along: trimmed here.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken.trim()}}',
			},
		},
	};

	// The account request (api/account.ts) reads the account and changes nothing, so testing the key costs no credits.
	// Without rules, n8n shows only the HTTP status text ("Unauthorized"); these say what to do.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: ACCOUNT_PATH,
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API token was rejected. Copy a valid key from https://magichour.ai/developer?tab=api-keys, paste only the key (no spaces or line breaks inside it) into "API Token" and save again.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Magic Hour refused this API token (403). Check that its account is active, or create a new key at https://magichour.ai/developer?tab=api-keys.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Magic Hour API answers at this Base URL (404). Set "Base URL" back to https://api.magichour.ai unless you use a proxy.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message:
						'Magic Hour is limiting requests right now (429), so the token could not be checked. Wait a minute and save again.',
				},
			},
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `Magic Hour seems to be having trouble right now (${status}), so the token could not be checked. Try again in a few minutes.`,
				},
			})),
		],
	};
}
