import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token counts the fake reports in `usage`. */
export interface FakeUsage {
  prompt: number;
  completion: number;
}

/** What the fake answers to one chat-completions request. */
export type FakeReply =
  /** A structured answer: `answer` is serialised as the message content (valid or schema-violating JSON). */
  | { kind: 'json'; answer: unknown; usage?: FakeUsage; model?: string }
  /** Raw message content, e.g. malformed JSON. */
  | { kind: 'text'; content: string; usage?: FakeUsage; finishReason?: 'stop' | 'length' }
  /** A structured-outputs refusal (`message.refusal`). */
  | { kind: 'refusal'; message?: string; usage?: FakeUsage }
  /** A stop by the content filter (`finish_reason: content_filter`, no content). */
  | { kind: 'content_filter'; usage?: FakeUsage }
  /** An HTTP error, e.g. 429 with `retry-after`, 500, 401. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string }
  /** Never answers: the client's timeout (or abort) ends the request. */
  | { kind: 'hang' };

/** One request the fake received. */
export interface RecordedRequest {
  at: number;
  model: string;
  /** Concatenated content of the user messages (the delimited report, and any repair turn). */
  userText: string;
  /** The bearer token the client sent, if any. */
  apiKey?: string;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: Record<string, unknown> } };
    [k: string]: unknown;
  };
  reply: FakeReply['kind'];
}

/** A rule: requests it matches consume its replies in order; the last reply repeats. */
interface Rule {
  match: (req: RecordedRequest) => boolean;
  replies: FakeReply[];
  used: number;
}

/** A scriptable OpenAI-compatible chat-completions server on a free port. */
export interface FakeOpenAiServer {
  /** Base URL for the SDK, ending in `/v1`. */
  url: string;
  requests: RecordedRequest[];
  /**
   * Scripts the replies to requests whose user text contains `match` (or for which it returns
   * true). Rules are checked newest first; unmatched requests get an `unknown` answer.
   */
  on(match: string | ((req: RecordedRequest) => boolean), ...replies: FakeReply[]): void;
  /** Requests whose user text contains `marker`. */
  requestsFor(marker: string): RecordedRequest[];
  close(): Promise<void>;
}

const DEFAULT_USAGE: FakeUsage = { prompt: 100, completion: 20 };

function completion(model: string, message: Record<string, unknown>, finishReason: string, usage: FakeUsage) {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason, logprobs: null }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const rules: Rule[] = [];
  const requests: RecordedRequest[] = [];

  const pick = (req: RecordedRequest): FakeReply => {
    const rule = rules.find((r) => r.match(req));
    if (!rule) return { kind: 'json', answer: { type: 'unknown', confidence: 0, issueCount: 0, entities: {} } };
    const reply = rule.replies[Math.min(rule.used, rule.replies.length - 1)]!;
    rule.used += 1;
    return reply;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
      const userText = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
      const apiKey = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const recorded: RecordedRequest = { at: Date.now(), model: body.model, userText, body, reply: 'json', ...(apiKey ? { apiKey } : {}) };
      const reply = pick(recorded);
      recorded.reply = reply.kind;
      requests.push(recorded);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      switch (reply.kind) {
        case 'json':
          return send(200, completion(reply.model ?? body.model, { content: JSON.stringify(reply.answer), refusal: null }, 'stop', reply.usage ?? DEFAULT_USAGE));
        case 'text':
          return send(200, completion(body.model, { content: reply.content, refusal: null }, reply.finishReason ?? 'stop', reply.usage ?? DEFAULT_USAGE));
        case 'refusal':
          return send(200, completion(body.model, { content: null, refusal: reply.message ?? "I'm sorry, I can't help with that." }, 'stop', reply.usage ?? DEFAULT_USAGE));
        case 'content_filter':
          return send(200, completion(body.model, { content: null, refusal: null }, 'content_filter', reply.usage ?? DEFAULT_USAGE));
        case 'status':
          return send(reply.status, { error: { message: reply.message ?? `fake error ${reply.status}`, type: 'fake_error', code: null } }, reply.headers);
        case 'hang':
          return; // the client gives up; close() destroys the socket
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    on(match, ...replies) {
      if (replies.length === 0) throw new Error('a rule needs at least one reply');
      const test = typeof match === 'string' ? (r: RecordedRequest) => r.userText.includes(match) : match;
      rules.unshift({ match: test, replies, used: 0 });
    },
    requestsFor: (marker) => requests.filter((r) => r.userText.includes(marker)),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
