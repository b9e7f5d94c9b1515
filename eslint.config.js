import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/targets/templates.gen.ts', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:fs', 'node:child_process', 'node:net', 'node:dgram'], message: 'the core is pure: I/O belongs in src/cli, src/validate or src/probe' },
          ],
        },
      ],
    },
  },
  {
    // src/apply/host.ts is apply's one module that touches the host; the rest of src/apply is pure.
    files: ['src/cli/**', 'src/validate/**', 'src/probe/**', 'src/watch/**', 'src/diagnose/**', 'src/apply/host.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The model and the targets stay readable in one screen a function (issue 16).
    files: ['src/policy/**', 'src/targets/**'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The launcher is CommonJS on purpose (V8 code cache through vm.Script).
    files: ['bin/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
