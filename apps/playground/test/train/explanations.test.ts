import { describe, expect, it } from 'vitest';
import { CONCEPT_HELP, FIELD_HELP, OPTIMIZER_HELP, SCHEDULE_HELP } from '../../src/train/explanations.js';
import { OPTIMIZER_NAMES } from '../../src/train/optimizers.js';
import { SCHEDULE_NAMES } from '../../src/train/schedules.js';

describe('explanations beside the controls', () => {
  it('explain every optimizer and every schedule the menus offer', () => {
    expect(Object.keys(OPTIMIZER_HELP)).toEqual([...OPTIMIZER_NAMES]);
    expect(Object.keys(SCHEDULE_HELP)).toEqual([...SCHEDULE_NAMES]);
    expect(Object.keys(FIELD_HELP).sort()).toEqual(['augment', 'batchSize', 'dropout', 'epochs', 'limit', 'lr', 'optimizer', 'schedule', 'sizes', 'weightDecay']);
  });

  it('are one line each: a sentence or two, not a manual', () => {
    for (const text of [...Object.values(FIELD_HELP), ...Object.values(OPTIMIZER_HELP), ...Object.values(SCHEDULE_HELP), ...Object.values(CONCEPT_HELP)]) {
      expect(text, text).not.toContain('\n');
      expect(text.length, text).toBeLessThanOrEqual(140);
      expect(text, text).toMatch(/\.$/);
    }
  });
});
