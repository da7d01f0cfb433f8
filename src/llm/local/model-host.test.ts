import { ApplicationFailure } from '@temporalio/common';
import { createModelHost } from './model-host';

describe('model host without a model file', () => {
  test('fails with a non-retryable LlmModelNotFound naming npm run model:install, and starts no thread', async () => {
    const host = createModelHost({ modelPath: '/nonexistent/model.gguf', concurrency: 1, threads: 1, contextSize: 512 });
    const failure = await host.generate({ prompt: 'x', schema: { enum: ['a'] }, maxTokens: 1 }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'LlmModelNotFound', nonRetryable: true, details: [{ reasonCode: 'llm_model_unavailable' }] });
    expect((failure as Error).message).toContain('npm run model:install');
    // Not remembered: a second call checks the file again (and fails again here).
    await expect(host.ready()).rejects.toMatchObject({ type: 'LlmModelNotFound' });
    await host.close();
  });
});
