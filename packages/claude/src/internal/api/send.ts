/**
 * One HTTP attempt of a Messages call, JSON or streamed, reduced to the reply
 * text, the serving model, usage and the request id. Errors are thrown raw; the
 * caller normalizes them.
 *
 * Streaming quirk: an `error` event (e.g. overloaded_error) can arrive after
 * HTTP 200 and some events; the SDK throws it as an APIError without a status
 * and does not retry it. A stream that ends without `message_stop` is treated
 * as a dropped connection, and one that goes silent for `streamIdleMs` is
 * aborted, both retryable.
 *
 * An attempt that fails after `message_start` was still billed (its input, and the output so
 * far): `onBilled` hears of it, with the usage received, before the error is thrown.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import { ClaudeError } from '../../errors.ts';

/** The parts of a reply this package uses. */
export interface Reply {
  text: string;
  model: string;
  usage: Usage;
  stopReason: string | null;
  requestId: string | null;
}

/** Sends one request and waits for the whole reply. */
export async function sendOnce(
  sdk: Anthropic,
  params: MessageCreateParamsNonStreaming,
  options: {
    stream: boolean;
    streamIdleMs: number;
    signal?: AbortSignal | undefined;
    onBilled?: ((b: { model: string; usage: Usage; requestId: string | null }) => void) | undefined;
  },
): Promise<Reply> {
  const reqOpts = options.signal ? { signal: options.signal } : {};
  if (!options.stream) {
    const { data, request_id } = await sdk.messages.create(params, reqOpts).withResponse();
    const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    return { text, model: data.model, usage: data.usage, stopReason: data.stop_reason, requestId: request_id ?? null };
  }
  const { data: stream, request_id } = await sdk.messages.create({ ...params, stream: true }, reqOpts).withResponse();
  let model = params.model as string;
  let usage: Usage | undefined;
  let stopReason: string | null = null;
  let stopped = false;
  let text = '';
  let idle: NodeJS.Timeout | undefined;
  let timedOut = false;
  const arm = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      stream.controller.abort();
    }, options.streamIdleMs);
    idle.unref?.();
  };
  const billedFailure = (): void => {
    if (usage) options.onBilled?.({ model, usage, requestId: request_id ?? null });
  };
  try {
    arm();
    for await (const event of stream) {
      arm();
      if (event.type === 'message_start') {
        model = event.message.model;
        usage = { ...event.message.usage };
      } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text;
      } else if (event.type === 'message_delta') {
        stopReason = event.delta.stop_reason ?? stopReason;
        // message_delta carries cumulative counts; keep start's values where it has none.
        if (usage) {
          for (const [k, v] of Object.entries(event.usage)) if (v !== null && v !== undefined) Object.assign(usage, { [k]: v });
        }
      } else if (event.type === 'message_stop') {
        stopped = true;
      }
    }
  } catch (err) {
    billedFailure();
    throw err;
  } finally {
    clearTimeout(idle);
  }
  if (timedOut || !stopped || !usage) billedFailure();
  if (timedOut) {
    throw new ClaudeError('ETIMEOUT', `the stream went silent for ${options.streamIdleMs} ms and was aborted`, {
      model,
      requestId: request_id ?? null,
      retryable: true,
    });
  }
  if (!stopped || !usage) {
    throw new ClaudeError('ECONNECTION', 'the stream ended before message_stop (connection dropped mid-reply)', {
      model,
      requestId: request_id ?? null,
      retryable: true,
    });
  }
  return { text, model, usage, stopReason, requestId: request_id ?? null };
}
