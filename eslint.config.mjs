import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

/**
 * n8n's verification rules for community nodes, over what ships (nodes/, credentials/) and the
 * package.json n8n reads. The TypeScript parser reads package.json as a JSON source file, which
 * is the shape the plugin's package rules expect.
 */
export default [
	{
		ignores: [
			'dist/**',
			'node_modules/**',
			'.cache/**',
			'test/**',
			'e2e/**',
			'scripts/**',
			'sandbox/**',
			'benchmark/**',
		],
	},
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { project: './tsconfig.json' } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
	},
	n8nCommunityNodesPlugin.configs.recommended,
];
