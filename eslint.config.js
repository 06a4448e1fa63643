// Lint rules. Beyond the recommended sets, they enforce the layering of docs/architecture.md: only main.ts and
// platform/ touch the process environment, the clock or the global fetch, so every other layer stays testable.
import tseslint from "typescript-eslint";
import js from "@eslint/js";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".bench/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,mjs,js}"],
    languageOptions: { globals: { process: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", Buffer: "readonly", URL: "readonly", fetch: "readonly", AbortController: "readonly", AbortSignal: "readonly", TextDecoder: "readonly", TextEncoder: "readonly", setImmediate: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // The CommonJS start-up shim of the published bin.
    files: ["scripts/loader.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "readonly", __dirname: "readonly", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/main.ts", "src/platform/**", "src/lazy/**", "src/**/*.test.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Take an Env parameter; only main.ts and platform/ read process.env." },
        { object: "process", property: "exit", message: "Return an exit code; only main.ts exits." },
        { object: "Date", property: "now", message: "Take a Clock; only platform/ reads the time." },
      ],
      "no-restricted-globals": ["error", { name: "fetch", message: "Take a Fetch parameter." }],
      "no-console": "error",
    },
  },
);
