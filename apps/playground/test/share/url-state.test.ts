import { describe, expect, it } from 'vitest';
import { type PageShare, decodeShare, encodeShare } from '../../src/share/url-state.js';

describe('the page’s settings in its address', () => {
  it('round-trips the training fields and the race (f with spaces and symbols, start, rates, momenta)', () => {
    const share: PageShare = {
      train: { sizes: '784-64-10', optimizer: 'adam', lr: '0.001', schedule: 'cosine', batchSize: '32', epochs: '4', limit: '5000', dropout: '0.2', weightDecay: '1e-4', augment: 'shift' },
      race: { expression: 'sin(x) cos(y) + 0.1 (x^2 + y^2) / 2', start: [-1.25, 0.5], lrs: { Adam: 0.05, 'L-BFGS': 0.5 }, momenta: { Momentum: 0.5 } },
    };
    const url = encodeShare(share);
    expect(url.startsWith('?sizes=784-64-10&opt=adam&lr=0.001&sched=cosine&batch=32&epochs=4&images=5000&dropout=0.2&wd=1e-4&aug=shift&f=')).toBe(true);
    expect(decodeShare(url)).toEqual({ share, problems: [] });
  });

  it('is empty when nothing is set, and leaves out empty fields', () => {
    expect(encodeShare({ train: {}, race: {} })).toBe('');
    expect(encodeShare({ train: { lr: '' }, race: {} })).toBe('');
    expect(decodeShare('')).toEqual({ share: { train: {}, race: {} }, problems: [] });
  });

  it('keeps typed numbers as text (the form checks them) but reports menu values and race settings it cannot use', () => {
    const { share, problems } = decodeShare('?lr=abc&opt=rmsprop2&sched=cosine&start=1&rates=Adam:0.1,Foo:1,SGD:-1&momenta=NAG:0.95,Momentum:1');
    expect(share).toEqual({ train: { lr: 'abc', schedule: 'cosine' }, race: { lrs: { Adam: 0.1 }, momenta: { NAG: 0.95 } } });
    expect(problems).toEqual([
      "opt='rmsprop2' is not one of sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw, adamax, lbfgs, newton",
      "start='1' is not two numbers x,y",
      "rate 'Foo:1' was ignored",
      "rate 'SGD:-1' was ignored",
      "momentum 'Momentum:1' was ignored",
    ]);
  });
});
