import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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
				'Your Magic Hour API key. Create one in Magic Hour\'s Developer Hub under "API Keys".',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.magichour.ai',
			description:
				'Where the Magic Hour API is reached. Keep the default unless you go through a proxy or a local simulator.',
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

	// GET /v1/account reads the account and changes nothing, so testing the key costs no credits.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/account',
			method: 'GET',
		},
	};
}
