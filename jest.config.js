/** Unit and sandbox tests; the end-to-end suite in e2e/ has its own command (npm run test:e2e). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': [
			'ts-jest',
			{
				tsconfig: {
					strict: true,
					esModuleInterop: true,
					resolveJsonModule: true,
					skipLibCheck: true,
					target: 'es2022',
					module: 'commonjs',
					isolatedModules: true,
				},
				diagnostics: { ignoreCodes: ['TS151001'] },
			},
		],
	},
	testTimeout: 20000,
};
