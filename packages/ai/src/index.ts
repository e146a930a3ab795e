/**
 * @since 0.1.0
 */
export * as CodexLanguageModel from "./CodexLanguageModel.js"
