import path from 'node:path';
import type { ActivityDeps } from '../../activities';
import { ConfigError, type Config } from '../config';
import { policyFromConfig } from '../policy-file';
import { catalog as defaultCatalog, type Catalog } from '../domain/registry';
import { createFailoverProvider } from '../llm/failover-provider';
import { createHybridProvider } from '../llm/hybrid-provider';
import { createLocalProvider, type LocalProvider } from '../llm/local-provider';
import { createModelHost } from '../llm/local/model-host';
import { createOpenAiProvider } from '../llm/openai-provider';
import type { LlmProvider } from '../llm/provider';
import { createRulesProvider } from '../llm/rules-provider';
import type { Logger } from '../logger';
import { createLogNotifier, type Notifier } from '../notifications/notifier';
import { createWebhookNotifier } from '../notifications/webhook-notifier';
import { createSystemsClient } from '../systems/client';
import { principalTokenBudget } from '../limits/principal-token-budget';

/** The local model of `LLM_MODEL_PATH`, loaded in its own thread on first use. */
function localProvider(config: Config, catalog: Catalog): LocalProvider {
  const { modelPath, concurrency, threads, contextSize, prompt } = config.llm.local;
  return createLocalProvider(catalog, { host: createModelHost({ modelPath, concurrency, threads, contextSize }), model: path.basename(modelPath), prompt });
}

/**
 * The LLM provider selected by `LLM_PROVIDER`: the offline rules, a local GGUF model, the rules
 * with a local model filling their gaps (`hybrid`), or an OpenAI-compatible endpoint followed by
 * the `LLM_FALLBACKS` endpoints in order (see failover-provider.ts).
 */
export function createLlmProvider(config: Config, catalog: Catalog): LlmProvider {
  if (config.llm.provider === 'rules') return createRulesProvider(catalog);
  if (config.llm.provider === 'local') return localProvider(config, catalog);
  if (config.llm.provider === 'hybrid') {
    const local = localProvider(config, catalog);
    return { ...createHybridProvider(catalog, { rules: createRulesProvider(catalog), model: local.steps, modelName: local.model }), close: () => local.close() };
  }
  const { structuredOutput } = config.llm;
  const endpoints = [{ baseURL: config.llm.baseURL, apiKey: config.llm.apiKey, model: config.llm.model, timeoutMs: config.llm.timeoutMs }, ...config.llm.fallbacks];
  return createFailoverProvider(endpoints.map((e) => createOpenAiProvider(catalog, { ...e, structuredOutput })));
}

/** The notification sink selected by `NOTIFIER`: log lines by default, or a signed webhook. */
export function createNotifier(config: Config, log: Logger): Notifier {
  const n = config.notifications;
  return n.sink === 'webhook' ? createWebhookNotifier({ url: n.url, secret: n.secret, timeoutMs: n.timeoutMs }) : createLogNotifier(log);
}

/** Wires the worker's activity dependencies from configuration. */
export function activityDepsFromConfig(config: Config, log: Logger, catalog: Catalog = defaultCatalog): ActivityDeps {
  if (config.commandSigning.verifyKeys.length === 0) {
    throw new ConfigError('Invalid configuration:\n  the worker needs COMMAND_VERIFY_KEYS (or COMMAND_SIGNING_KEYS) to verify approvals and clarifications');
  }
  return {
    catalog,
    buildId: config.buildId,
    llm: createLlmProvider(config, catalog),
    systems: createSystemsClient({ baseUrl: config.systems.url }),
    policy: policyFromConfig(config, catalog),
    notifier: createNotifier(config, log),
    repairAttempts: config.llm.repairAttempts,
    tokenBudget: config.llm.tokenBudget,
    commandKeys: config.commandSigning.verifyKeys,
    principalTokens: principalTokenBudget(config),
  };
}
