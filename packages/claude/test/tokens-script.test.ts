// Covers the local token estimate by script: Latin text keeps ceil(chars / 4) x the model's ratio;
// CJK, kana, Hangul and emoji, which chars / 4 under-counted several times (a real tokenizer gives
// a CJK character one token or more, an emoji two or more), now estimate at least that; and the
// budget, which refuses on the estimate, turns away a CJK prompt it used to let through.
import { describe, expect, it } from 'vitest';
import { estimateCostUsd } from '../src/budget.ts';
import { BudgetExceededError } from '../src/errors.ts';
import { defaultPricing } from '../src/pricing.ts';
import { estimateTokens } from '../src/tokens.ts';
import { setup, user } from './helpers.ts';

const MODEL = 'claude-haiku-5-5';
const RATIO = 1.3;
const CJK = '東京での会議は明日の午前十時からです。資料をご確認ください。';
const KANA_HANGUL = 'ありがとうございます 감사합니다';
const EMOJI = '👍🎉🚀❤️👨‍👩‍👧';

/** Code points of a string (what a person counts as characters). */
const points = (s: string): number => [...s].length;

describe('token estimate by script', () => {
  it('Latin text is unchanged: ceil(chars / 4) x the ratio', () => {
    const text = 'Summarise the thread about the roof repair quote. '.repeat(20);
    expect(estimateTokens(text, MODEL)).toBe(Math.ceil(Math.ceil(text.length / 4) * RATIO));
    expect(estimateTokens('café résumé naïve', 'claude-haiku-4-5')).toBe(Math.ceil('café résumé naïve'.length / 4));
  });

  it('CJK, kana and Hangul: at least one token a character (chars / 4 gave a quarter)', () => {
    for (const s of [CJK.repeat(40), KANA_HANGUL.repeat(40)]) {
      const letters = [...s].filter((c) => c !== ' ').length;
      expect(estimateTokens(s, 'claude-haiku-4-5')).toBeGreaterThanOrEqual(letters);
      expect(estimateTokens(s, MODEL)).toBeGreaterThanOrEqual(Math.ceil(letters * RATIO));
    }
  });

  it('emoji: at least two tokens each, joined sequences more', () => {
    const text = EMOJI.repeat(50);
    expect(estimateTokens(text, 'claude-haiku-4-5')).toBeGreaterThanOrEqual(2 * points(text));
    expect(estimateTokens('👨‍👩‍👧', 'claude-haiku-4-5')).toBeGreaterThanOrEqual(9);
  });

  it('the budget refuses a CJK prompt that the chars / 4 estimate would have let through', async () => {
    const prompt = CJK.repeat(300);
    const oldTokens = Math.ceil(Math.ceil(prompt.length / 4) * RATIO) + 4;
    const oldEstimate = estimateCostUsd({ model: MODEL, promptTokens: oldTokens, maxTokens: 100 }, defaultPricing) as number;
    // Room for twice what chars / 4 said: the old estimate passed, the script-aware one does not.
    await using t = await setup({ budgetUsd: oldEstimate * 2 });
    const err = await t.client.message({ callSite: 'test.cjk-budget', messages: [user(prompt)], maxTokens: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(t.messageRequests()).toHaveLength(0);
    expect(await t.rows()).toMatchObject([{ outcome: 'budget_refused', attempts: 0 }]);
  });
});
