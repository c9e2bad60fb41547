// Lints the package as n8n's community-node scanner does: n8n's community-node rules on the
// node and credential code and on package.json, plus eslint-plugin-n8n-nodes-base. The same
// rules run over the JavaScript that `npm pack` publishes, unpacked into .packed/
// (see .ci/lint-packed.js).
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import * as jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const rulesOf = (name) => n8nNodesBase.configs[name].rules;

export default [
	{ ignores: ['node_modules/**', 'coverage/**', 'test/**', '.ci/**', '*.config.{js,mjs}', 'gulpfile.js', 'index.js'] },
	{
		files: ['package.json', '.packed/*/package/package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: rulesOf('community'),
	},
	{
		files: ['**/*.ts', '**/*.js'],
		languageOptions: { parser: tseslint.parser, sourceType: 'module' },
	},
	{
		...communityNodes.configs.recommended,
		files: ['**/*.ts', '**/*.js', 'package.json', '.packed/*/package/package.json'],
	},
	{
		files: ['credentials/**/*.ts', '**/credentials/**/*.js'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...rulesOf('credentials'),
			// Main-repository rule (a docs slug); community credentials link a full URL, which
			// @n8n/community-nodes/credential-documentation-url requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts', '**/nodes/**/*.js'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...rulesOf('nodes'),
			// These older rules ask for the literal ['main']; n8n's newer
			// @n8n/community-nodes/node-connection-type-literal asks for NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// Checks that a node's TypeScript source is named X.node.ts; the published files are .js.
		files: ['.packed/**/*.js'],
		rules: { 'n8n-nodes-base/node-filename-against-convention': 'off' },
	},
];
