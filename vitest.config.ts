import { defineConfig } from 'vitest/config'

// .ci/run asks for a JSON report too, to print one plain "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The 100k-record run has its own command (npm run test:scale, vitest.scale.config.ts).
    exclude: ['test/scale/**', '**/node_modules/**'],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
})
