import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { forbiddenFor, pluginBannedImports, readProjects } from './tools/boundaries.ts';

const root = import.meta.dirname;
const projects = readProjects(root);
const testFiles = [
  '**/*.spec.ts',
  '**/test/**/*.ts',
  '**/src/testing/**/*.ts',
  '**/__fixtures__/**',
  '**/vitest.config.ts',
  '**/global-setup.ts',
];

const restrict = (names, extra = []) => [
  'error',
  {
    paths: extra.map((name) => ({ name, message: 'Plugins reach the network, keys and logging only through the plugin SDK façade.' })),
    patterns: names.map((name) => ({
      group: [name, `${name}/*`],
      message: 'This import breaks the dependency arrows of docs/architecture.md.',
    })),
  },
];

const boundaries = projects.flatMap((project) => {
  const plugin = project.tags.includes('type:plugin');
  return [
    {
      files: [`${project.dir}/**/*.ts`],
      ignores: testFiles.map((g) => `${project.dir}/${g}`),
      rules: { 'no-restricted-imports': restrict(forbiddenFor(project, projects), plugin ? pluginBannedImports : []) },
    },
    {
      files: testFiles.map((g) => `${project.dir}/${g}`),
      rules: { 'no-restricted-imports': restrict(forbiddenFor(project, projects, { testCode: true })) },
    },
  ];
});

export default tseslint.config(
  // scripts/patches/ holds dependency files kept in their upstream form (ADR 0012).
  { ignores: ['**/node_modules/**', '.local/**', '.nx/**', '**/dist/**', '**/generators/**/files/**', 'scripts/patches/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: root },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: testFiles,
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  ...boundaries,
  prettier,
);
